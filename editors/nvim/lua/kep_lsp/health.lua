--- :checkhealth kep_lsp: is the binary there, which version, is this buffer in a KEP repository,
--- is a client attached.
local M = {}

function M.check()
  local health = vim.health
  local kep = require("kep_lsp")
  local files = require("kep_lsp.files")

  health.start("kep-lsp: Neovim")
  if vim.fn.has("nvim-0.11") == 1 then
    health.ok("Neovim " .. tostring(vim.version()) .. ": vim.lsp.config/vim.lsp.enable available")
  elseif vim.fn.has("nvim-0.10") == 1 then
    health.ok("Neovim " .. tostring(vim.version()) .. ": using vim.lsp.start (setup())")
  else
    health.error("Neovim 0.10 or later is required")
  end

  health.start("kep-lsp: server binary")
  local cfg = kep.options and kep.config(kep.options) or nil
  if not cfg and vim.lsp.config then
    local ok, native = pcall(function()
      return vim.lsp.config[kep.name]
    end)
    cfg = ok and native or nil
  end
  cfg = cfg or kep.config({})
  local cmd = type(cfg.cmd) == "table" and cfg.cmd or { "kep-lsp" }
  local exe = vim.fn.exepath(cmd[1])
  if exe == "" then
    health.error(("`%s` not found"):format(cmd[1]), {
      "Build it: cargo build --release (in a kep-lsp checkout), then put target/release/kep-lsp on PATH",
      'or set the command: require("kep_lsp").setup({ cmd = { "/path/to/kep-lsp", "serve" } })',
    })
  else
    health.ok("found: " .. exe)
    local ok, res = pcall(function()
      return vim.system({ exe, "--version" }, { text = true }):wait(5000)
    end)
    if ok and res and res.code == 0 and res.stdout and res.stdout ~= "" then
      health.ok("version: " .. vim.trim(res.stdout))
    else
      health.warn("`" .. exe .. " --version` failed: " .. vim.trim((res and res.stderr) or "no output"))
    end
  end

  health.start("kep-lsp: this buffer")
  -- :checkhealth runs in a new tab: "this buffer" is the one shown in the tab we came from.
  local bufnr = vim.api.nvim_get_current_buf()
  local prev_tab = vim.fn.tabpagenr("#")
  if vim.api.nvim_buf_get_name(bufnr):match("^health://") and prev_tab > 0 then
    local list = vim.fn.tabpagebuflist(prev_tab)
    bufnr = list[vim.fn.tabpagewinnr(prev_tab)] or bufnr
  end
  local path = vim.api.nvim_buf_get_name(bufnr)
  local root = files.find_root(path ~= "" and path or vim.fn.getcwd() .. "/x")
  if root then
    health.ok("KEP repository root: " .. root)
  else
    health.info("not inside a KEP repository (no keps/ folder above " .. (path ~= "" and path or vim.fn.getcwd()) .. ")")
  end
  if path ~= "" then
    if files.is_kep_file(path, bufnr) then
      local clients = kep.clients(bufnr)
      if #clients > 0 then
        health.ok("kep-lsp attached (client id " .. clients[1].id .. ")")
      else
        health.warn("a KEP file, but no kep-lsp client is attached", {
          'call require("kep_lsp").setup() or vim.lsp.enable("kep_lsp")',
        })
      end
    else
      health.info("not a KEP file: kep-lsp does not attach here")
    end
  end
end

return M
