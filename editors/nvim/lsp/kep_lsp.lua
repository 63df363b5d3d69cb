-- Neovim 0.11+ native LSP config: put this plugin on 'runtimepath' and run
--   vim.lsp.enable("kep_lsp")
-- Override anything with vim.lsp.config("kep_lsp", { cmd = { "/path/to/kep-lsp", "serve" } }).
-- root_dir calls back only for KEP files, so the server starts for KEP files and nothing else.
local files = require("kep_lsp.files")

---@type vim.lsp.Config
return {
  cmd = { "kep-lsp", "serve" },
  filetypes = { "yaml", "markdown" },
  root_dir = function(bufnr, on_dir)
    local path = vim.api.nvim_buf_get_name(bufnr)
    if files.is_kep_file(path, bufnr) then
      on_dir(files.find_root(path) or vim.fs.dirname(path))
    end
  end,
  -- vim.empty_dict(): an empty Lua table would reach the server as a JSON list.
  settings = { ["kep-lsp"] = vim.empty_dict() },
  init_options = vim.empty_dict(),
}
