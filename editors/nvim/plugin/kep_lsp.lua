-- User commands, defined whichever way the server is enabled (setup(), vim.lsp.enable, lspconfig).
if vim.g.loaded_kep_lsp then
  return
end
vim.g.loaded_kep_lsp = true

vim.api.nvim_create_user_command("KepRestart", function()
  require("kep_lsp").restart()
end, { desc = "Restart the kep-lsp language server" })

vim.api.nvim_create_user_command("KepNew", function(cmd)
  local args = {}
  if cmd.fargs[1] then
    args.sig = cmd.fargs[1]
  end
  if #cmd.fargs > 1 then
    args.title = table.concat(cmd.fargs, " ", 2)
  end
  require("kep_lsp").new_kep(args)
end, {
  nargs = "*",
  desc = "Scaffold a new KEP (kep-lsp's kep.new): :KepNew [sig] [title]",
  complete = function(arglead, cmdline)
    if #vim.split(cmdline, "%s+", { trimempty = false }) <= 2 then
      return require("kep_lsp").complete_sig(arglead)
    end
    return {}
  end,
})
