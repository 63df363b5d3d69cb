--- kep-lsp for Neovim: starts the `kep-lsp` language server on KEP files only.
---
--- Three ways to use it (see docs/editors.md):
---   require("kep_lsp").setup({ cmd = {...}, settings = {...} })   -- Neovim 0.10 and later
---   vim.lsp.enable("kep_lsp")                                       -- Neovim 0.11+, uses lsp/kep_lsp.lua
---   nvim-lspconfig: a custom server entry built from require("kep_lsp").config()
local files = require("kep_lsp.files")

local M = {}

M.name = "kep_lsp"
M.files = files

local has_011 = vim.fn.has("nvim-0.11") == 1

--- The options given to setup(), kept for :KepRestart and attach().
---@type table|nil
M.options = nil

--- Users write the section's contents (`{ disable = {...} }`); the server reads section `kep-lsp`.
--- Both spellings are accepted.
---@param settings table|nil
---@return table section contents
function M.section(settings)
  settings = settings or {}
  if type(settings["kep-lsp"]) == "table" then
    return settings["kep-lsp"]
  end
  return settings
end

--- The client config for `vim.lsp.start` / `vim.lsp.config`: the server's settings both as
--- `init_options` (read at initialize) and as `settings` (answered to workspace/configuration and
--- sent with workspace/didChangeConfiguration).
---@param opts table|nil { cmd?, settings?, on_attach?, capabilities?, handlers? }
---@return table
function M.config(opts)
  opts = opts or {}
  local section = M.section(opts.settings)
  -- An empty Lua table encodes as a JSON list; the server wants an object.
  local function object(t)
    return next(t) == nil and vim.empty_dict() or vim.deepcopy(t)
  end
  local cfg = {
    name = M.name,
    cmd = opts.cmd or { "kep-lsp", "serve" },
    filetypes = { "yaml", "markdown" },
    settings = { ["kep-lsp"] = object(section) },
    init_options = object(section),
  }
  for _, key in ipairs({ "on_attach", "capabilities", "handlers", "on_init", "cmd_env" }) do
    if opts[key] ~= nil then
      cfg[key] = opts[key]
    end
  end
  return cfg
end

--- The config in force: setup()'s, else the native one (lsp/kep_lsp.lua plus vim.lsp.config
--- overrides), else the defaults.
local function resolved_config()
  if M.options then
    return M.config(M.options)
  end
  if has_011 and vim.lsp.config then
    local ok, cfg = pcall(function()
      return vim.lsp.config[M.name]
    end)
    if ok and cfg then
      cfg = vim.deepcopy(cfg)
      cfg.name = M.name
      return cfg
    end
  end
  return M.config({})
end

--- Start (or reuse) the client for `bufnr` when it is a KEP file. Returns the client id or nil.
---@param bufnr? integer
---@return integer|nil
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = vim.api.nvim_buf_get_name(bufnr)
  if not files.is_kep_file(path, bufnr) then
    return nil
  end
  local cfg = resolved_config()
  cfg.root_dir = files.find_root(path) or vim.fs.dirname(path)
  cfg.filetypes = nil
  return vim.lsp.start(cfg, { bufnr = bufnr })
end

---@param opts table|nil { cmd?, settings?, on_attach?, capabilities?, use_lsp_start? }
function M.setup(opts)
  opts = opts or {}
  M.options = opts
  local group = vim.api.nvim_create_augroup("kep_lsp", { clear = true })
  if has_011 and vim.lsp.config and vim.lsp.enable and not opts.use_lsp_start then
    local cfg = M.config(opts)
    cfg.name = nil
    vim.lsp.config(M.name, cfg)
    vim.lsp.enable(M.name)
    return
  end
  -- Neovim 0.10: no vim.lsp.enable; start per buffer from FileType.
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = { "yaml", "markdown" },
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      local ft = vim.bo[buf].filetype
      if ft == "yaml" or ft == "markdown" then
        M.attach(buf)
      end
    end
  end
end

---@return vim.lsp.Client[]
function M.clients(bufnr)
  return vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
end

local function stop(client)
  if has_011 then
    client:stop()
  else
    client.stop()
  end
end

--- :KepRestart: stop every kep_lsp client and start them again on the buffers they had.
function M.restart()
  local clients = M.clients()
  local bufs = {}
  for _, client in ipairs(clients) do
    for buf in pairs(client.attached_buffers) do
      bufs[#bufs + 1] = buf
    end
    stop(client)
  end
  -- A stopped client stays listed (and vim.lsp.start would reuse it) until its exit is handled.
  local function all_gone()
    for _, client in ipairs(clients) do
      if vim.lsp.get_client_by_id(client.id) ~= nil then
        return false
      end
    end
    return true
  end
  local all_stopped = vim.wait(5000, all_gone, 20)
  if not all_stopped then
    for _, client in ipairs(clients) do
      if has_011 then
        client:stop(true)
      else
        client.stop(true)
      end
    end
    vim.wait(2000, all_gone, 20)
  end
  if #bufs == 0 then
    bufs = { vim.api.nvim_get_current_buf() }
  end
  local started = 0
  for _, buf in ipairs(bufs) do
    if vim.api.nvim_buf_is_valid(buf) and M.attach(buf) then
      started = started + 1
    end
  end
  vim.notify(("kep-lsp: restarted (%d buffer%s)"):format(started, started == 1 and "" or "s"))
  return started
end

--- Completion for the SIG argument of :KepNew.
function M.complete_sig(arglead)
  local root = files.find_root(vim.api.nvim_buf_get_name(0)) or vim.fn.getcwd()
  return vim.tbl_filter(function(s)
    return s:sub(1, #arglead) == arglead
  end, files.sig_folders(root))
end

local function created_uris(result)
  if type(result) == "string" then
    return { result }
  end
  if type(result) ~= "table" then
    return {}
  end
  if vim.islist(result) then
    local out = {}
    for _, r in ipairs(result) do
      vim.list_extend(out, created_uris(r))
    end
    return out
  end
  for _, key in ipairs({ "uri", "readme", "uris", "files", "created" }) do
    if result[key] ~= nil then
      return created_uris(result[key])
    end
  end
  return {}
end
M._created_uris = created_uris

--- :KepNew [sig] [title...]: ask the server (`kep.new`) to scaffold a KEP, prompting for what is missing.
---@param args? { sig?: string, title?: string, number?: integer }
---@param on_done? fun(err: any, uris: string[])
function M.new_kep(args, on_done)
  args = args or {}
  local client = M.clients(0)[1] or M.clients()[1]
  local function fail(msg)
    vim.notify("kep-lsp: " .. msg, vim.log.levels.ERROR)
    if on_done then
      on_done(msg, {})
    end
  end
  local provider = client and client.server_capabilities and client.server_capabilities.executeCommandProvider
  local via_server = provider and vim.tbl_contains(provider.commands or {}, "kep.new")
  -- A server without kep.new: the same binary scaffolds as a CLI (`kep-lsp new`).
  local cfg = resolved_config()
  local exe = type(cfg.cmd) == "table" and cfg.cmd[1] or nil
  local root = files.find_root(vim.api.nvim_buf_get_name(0))
    or (client and client.config.root_dir)
    or files.find_root(vim.fn.getcwd() .. "/x")
  if not via_server and not (exe and root) then
    return fail("New KEP needs a running kep-lsp (or its binary) and a KEP repository (a folder holding keps/).")
  end
  local function ask(field, prompt, completion, next)
    if args[field] and args[field] ~= "" then
      return next()
    end
    vim.ui.input({ prompt = prompt, completion = completion }, function(value)
      if value == nil or vim.trim(value) == "" then
        if field == "number" then
          return next()
        end
        return fail("New KEP cancelled.")
      end
      args[field] = vim.trim(value)
      next()
    end)
  end
  ask("sig", "Owning SIG: ", "customlist,v:lua.require'kep_lsp'.complete_sig", function()
    ask("title", "KEP title: ", nil, function()
      ask("number", "KEP number (empty for NNNN): ", nil, function()
        local payload = { sig = args.sig, title = args.title }
        if args.number and tostring(args.number):match("^%d+$") then
          payload.number = tonumber(args.number)
        end
        local handler = function(err, result)
          if err then
            return fail("New KEP failed: " .. (err.message or vim.inspect(err)))
          end
          local uris = created_uris(result)
          local readme
          for _, u in ipairs(uris) do
            if u:match("README%.md$") then
              readme = u
            end
          end
          readme = readme or uris[1]
          if readme then
            vim.cmd.edit(vim.fn.fnameescape(vim.uri_to_fname(readme)))
          end
          if on_done then
            on_done(nil, uris)
          end
        end
        if not via_server then
          local argv = { exe, "new", "--sig", payload.sig, "--title", payload.title, "--root", root }
          if payload.number then
            vim.list_extend(argv, { "--number", tostring(payload.number) })
          end
          vim.system(argv, { text = true }, function(res)
            vim.schedule(function()
              if res.code ~= 0 then
                return fail("New KEP failed: " .. vim.trim(res.stderr or ""))
              end
              local uris = {}
              for rel in (res.stdout or ""):gmatch("created ([^\n]+)") do
                uris[#uris + 1] = vim.uri_from_fname(vim.fs.joinpath(root, vim.trim(rel)))
              end
              handler(nil, uris)
            end)
          end)
          return
        end
        local params = { command = "kep.new", arguments = { payload } }
        if has_011 then
          client:request("workspace/executeCommand", params, handler, 0)
        else
          client.request("workspace/executeCommand", params, handler, 0)
        end
      end)
    end)
  end)
end

return M
