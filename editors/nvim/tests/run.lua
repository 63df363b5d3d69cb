-- Tests of the kep_lsp plugin in a real headless Neovim against the real kep-lsp binary.
-- Run by tests/run.sh (which copies editors/testdata/kep-repo to a temp dir):
--   KEP_LSP=/path/kep-lsp KEP_REPO=/tmp/copy KEP_NVIM_MODE=setup|start|native \
--     nvim --headless --clean --cmd "set rtp^=editors/nvim" -c "luafile editors/nvim/tests/run.lua"
-- Modes: setup = require("kep_lsp").setup() (vim.lsp.config/enable on 0.11+),
--        start = setup({ use_lsp_start = true }) (the Neovim 0.10 path, vim.lsp.start per buffer),
--        native = vim.lsp.enable("kep_lsp") with lsp/kep_lsp.lua.
local server = assert(os.getenv("KEP_LSP"), "KEP_LSP not set")
local repo = assert(os.getenv("KEP_REPO"), "KEP_REPO not set")
local mode = os.getenv("KEP_NVIM_MODE") or "setup"
local filter = os.getenv("KEP_TEST_FILTER")

local kep = require("kep_lsp")
local files = require("kep_lsp.files")

local passed, failed, skipped = 0, 0, 0
local function out(s)
  io.stdout:write(s .. "\n")
end
-- Headless notifications go to stderr without a newline; keep them, one per line, as TAP comments.
local notes = {}
vim.notify = function(msg)
  notes[#notes + 1] = msg
  out("# " .. tostring(msg):gsub("\n", "\n# "))
end

--- A test calls skip(reason) when the server lacks the capability under test (reported, not passed).
local Skip = {}
local function skip(reason)
  error(setmetatable({ reason = reason }, Skip), 0)
end

local function test(name, fn)
  if filter and not name:find(filter, 1, true) then
    return
  end
  local ok, err = xpcall(fn, function(e)
    if getmetatable(e) == Skip then
      return e
    end
    return debug.traceback(e)
  end)
  if not ok and getmetatable(err) == Skip then
    skipped = skipped + 1
    out(("ok - [%s] %s # SKIP %s"):format(mode, name, err.reason))
  elseif ok then
    passed = passed + 1
    out(("ok - [%s] %s"):format(mode, name))
  else
    failed = failed + 1
    out(("not ok - [%s] %s\n%s"):format(mode, name, tostring(err):gsub("\n", "\n    ")))
  end
end

local function eq(want, got, what)
  if not vim.deep_equal(want, got) then
    error(("%s: want %s, got %s"):format(what or "value", vim.inspect(want), vim.inspect(got)), 2)
  end
end

local function open(rel)
  vim.cmd.edit(vim.fn.fnameescape(repo .. "/" .. rel))
  return vim.api.nvim_get_current_buf()
end

local function wait_client(bufnr)
  local client
  vim.wait(10000, function()
    client = kep.clients(bufnr)[1]
    return client ~= nil and client.initialized
  end, 20)
  return client
end

--- Waits until the buffer has kep-lsp diagnostics satisfying `pred` (default: any).
local function wait_diagnostics(bufnr, pred)
  local diags
  vim.wait(15000, function()
    diags = vim.tbl_filter(function(d)
      return d.source == "kep-lsp"
    end, vim.diagnostic.get(bufnr))
    if pred then
      return pred(diags)
    end
    return #diags > 0
  end, 20)
  return diags
end

local function text_under(bufnr, d)
  local lines = vim.api.nvim_buf_get_text(bufnr, d.lnum, d.col, d.end_lnum or d.lnum, d.end_col or d.col, {})
  return table.concat(lines, "\n")
end

local function by_code(diags, code)
  return vim.tbl_filter(function(d)
    return d.code == code
  end, diags)
end

-- Plugin set-up for this mode.
local cmd = { server, "serve" }
if mode == "native" then
  vim.lsp.config("kep_lsp", { cmd = cmd })
  vim.lsp.enable("kep_lsp")
elseif mode == "settings" then
  kep.setup({ cmd = cmd, settings = { severity = { ["invalid-status"] = "hint" }, disable = { "missing-section" } } })
elseif mode == "start" then
  kep.setup({ cmd = cmd, use_lsp_start = true })
else
  kep.setup({ cmd = cmd, settings = { logLevel = "info" } })
end

if mode == "setup" then
  test("is_kep_file: KEP files by path (and legacy KEPs by front matter)", function()
    local r = repo .. "/keps/"
    eq(true, files.is_kep_file(r .. "sig-node/2625-cpumanager-policies-thread-placement/kep.yaml"), "kep.yaml")
    eq(true, files.is_kep_file(r .. "sig-node/2625-cpumanager-policies-thread-placement/README.md"), "README")
    eq(true, files.is_kep_file(r .. "prod-readiness/sig-node/2625.yaml"), "PRR")
    eq(true, files.is_kep_file(r .. "NNNN-kep-template/README.md"), "template README")
    eq(true, files.is_kep_file(r .. "sig-network/20190118-pod-dns-config.md"), "legacy KEP (front matter)")
    eq(false, files.is_kep_file(r .. "README.md"), "keps/README.md index")
    eq(false, files.is_kep_file(repo .. "/notes/kep.md"), "outside keps/")
    eq(false, files.is_kep_file("/elsewhere/config.yaml"), "other yaml")
    eq(false, files.is_kep_file(""), "no name")
  end)

  test("find_root: the folder holding keps/", function()
    eq(repo, files.find_root(repo .. "/keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml"))
    eq(repo, files.find_root(repo .. "/keps/prod-readiness/sig-node/2625.yaml"))
    eq(nil, files.find_root("/tmp/no-keps-here/file.yaml"))
    eq({ "sig-apps", "sig-network", "sig-node" }, files.sig_folders(repo), "sig folders")
  end)

  test("settings go to init_options and to section kep-lsp", function()
    local cfg = kep.config({ settings = { disable = { "toc-stale" } } })
    eq({ disable = { "toc-stale" } }, cfg.init_options, "init_options")
    eq({ ["kep-lsp"] = { disable = { "toc-stale" } } }, cfg.settings, "settings")
    eq(cfg.settings, kep.config({ settings = { ["kep-lsp"] = { disable = { "toc-stale" } } } }).settings, "both spellings")
  end)
end

if mode == "settings" then
  local settings_buf
  test("settings reach the server: severity override and disabled code", function()
    local buf = open("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml")
    settings_buf = buf
    assert(wait_client(buf), "no client")
    local diags = wait_diagnostics(buf, function(ds)
      return #by_code(ds, "invalid-status") > 0
    end)
    local d = by_code(diags, "invalid-status")[1]
    assert(d, "no invalid-status diagnostic: " .. vim.inspect(diags))
    eq(vim.diagnostic.severity.HINT, d.severity, "invalid-status severity with the override")
    local readme = open("keps/sig-apps/1591-daemonset-surge/README.md")
    assert(wait_client(readme), "no client on README")
    wait_diagnostics(readme)
    vim.wait(500)
    eq(0, #by_code(vim.diagnostic.get(readme), "missing-section"), "missing-section is disabled")
  end)

  test("a settings change (workspace/didChangeConfiguration) applies to open files", function()
    local buf = assert(settings_buf, "needs the kep.yaml of the previous test")
    vim.api.nvim_set_current_buf(buf)
    local client = kep.clients(buf)[1]
    local settings = { ["kep-lsp"] = { severity = { ["invalid-status"] = "warning" } } }
    client.settings = settings
    client:notify("workspace/didChangeConfiguration", { settings = settings })
    -- Neovim pulls diagnostics (textDocument/diagnostic) but offers no workspace/diagnostic/refresh,
    -- so the server cannot make it re-pull; an edit does. (A pushing client gets them at once.)
    local pulls = client.server_capabilities.diagnosticProvider ~= nil
    if pulls then
      vim.wait(200)
      vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "" })
    end
    local ok = vim.wait(10000, function()
      local d = by_code(vim.diagnostic.get(buf), "invalid-status")[1]
      return d ~= nil and d.severity == vim.diagnostic.severity.WARN
    end, 20)
    assert(ok, "invalid-status not re-published as a warning: " .. vim.inspect(vim.diagnostic.get(buf)))
  end)
  out(("nvim-%s: %d passed, %d failed, %d skipped"):format(mode, passed, failed, skipped))
  vim.cmd((failed == 0 and passed > 0) and "qall!" or "cquit! 1")
  return
end

local yaml_buf
test("kep.yaml: attaches and reports the misspelt status as an error on the value", function()
  yaml_buf = open("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml")
  eq("yaml", vim.bo[yaml_buf].filetype, "filetype")
  local client = wait_client(yaml_buf)
  assert(client, "kep_lsp did not attach to kep.yaml")
  eq(repo, client.config.root_dir, "root_dir")
  local diags = wait_diagnostics(yaml_buf, function(ds)
    return #by_code(ds, "invalid-status") > 0
  end)
  local status = by_code(diags, "invalid-status")
  eq(1, #status, "one invalid-status diagnostic, got " .. vim.inspect(diags))
  local d = status[1]
  eq(vim.diagnostic.severity.ERROR, d.severity, "severity")
  eq(7, d.lnum, "line (0-based) of `status: imlpemented`")
  eq("imlpemented", text_under(yaml_buf, d), "text under the range")
end)

test("files that are not KEPs get no client", function()
  vim.fn.mkdir(repo .. "/notes", "p")
  vim.fn.writefile({ "title: not a KEP" }, repo .. "/notes/config.yaml")
  local buf = open("notes/config.yaml")
  eq("yaml", vim.bo[buf].filetype, "filetype")
  vim.wait(300)
  eq(0, #kep.clients(buf), "clients on notes/config.yaml")
  local index = open("keps/README.md")
  vim.wait(300)
  eq(0, #kep.clients(index), "clients on keps/README.md")
end)

test("a legacy single-file KEP and a PRR file get the client", function()
  local legacy = open("keps/sig-network/20190118-pod-dns-config.md")
  eq("markdown", vim.bo[legacy].filetype, "filetype")
  assert(wait_client(legacy), "no client on the legacy KEP")
  local prr = open("keps/prod-readiness/sig-node/2625.yaml")
  assert(wait_client(prr), "no client on the PRR file")
  eq(1, #kep.clients(), "one server for the whole repository")
end)

test("completion at `status: ` offers the statuses", function()
  local buf = open("keps/sig-apps/1591-daemonset-surge/kep.yaml")
  assert(wait_client(buf), "no client")
  local lnum
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:match("^status:") then
      lnum = i - 1
    end
  end
  assert(lnum, "no status line")
  vim.api.nvim_buf_set_lines(buf, lnum, lnum + 1, false, { "status: " })
  local client = kep.clients(buf)[1]
  if not client.server_capabilities.completionProvider then
    vim.cmd("silent! undo")
    skip("the server offers no completion (completionProvider)")
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = lnum, character = #"status: " },
  }
  local results = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 10000) or {}
  local labels = {}
  for _, r in pairs(results) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do
      labels[item.label] = true
    end
  end
  for _, want in ipairs({ "provisional", "implementable", "implemented" }) do
    assert(labels[want], ("completion lacks %q; got %s"):format(want, vim.inspect(vim.tbl_keys(labels))))
  end
  vim.cmd("silent! undo")
end)

local readme_missing
test("README: missing-section diagnostics on a real KEP README", function()
  local buf = open("keps/sig-apps/1591-daemonset-surge/README.md")
  eq("markdown", vim.bo[buf].filetype, "filetype")
  assert(wait_client(buf), "no client")
  local diags = wait_diagnostics(buf, function(ds)
    return #by_code(ds, "missing-section") > 0
  end)
  local missing = by_code(diags, "missing-section")
  assert(#missing > 0, "no missing-section diagnostic; got " .. vim.inspect(diags))
  local section
  for _, d in ipairs(missing) do
    -- The KEP is implementable (an active KEP): a section its stage requires is a warning; a
    -- PRR question the README lacks is an info each.
    if d.message:match("^The PRR question") then
      eq(vim.diagnostic.severity.INFO, d.severity, "missing PRR question severity")
    else
      eq(vim.diagnostic.severity.WARN, d.severity, "missing-section severity")
      section = section or d
    end
    assert(d.user_data and d.user_data.lsp, "diagnostic has no LSP payload")
  end
  assert(section, "no missing template section; got " .. vim.inspect(missing))
  readme_missing = { buf = buf, diag = section }
end)

test("README: the insert-missing-section quick fix inserts the section", function()
  assert(readme_missing, "needs the missing-section diagnostic of the previous test")
  local buf, lsp_diag = readme_missing.buf, readme_missing.diag.user_data.lsp
  local client = kep.clients(buf)[1]
  if not client.server_capabilities.codeActionProvider then
    skip("the server offers no code actions (codeActionProvider)")
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { "quickfix" } },
  }
  local results = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}
  -- The diagnostic names the section ('The template's "Non-Goals" section is missing; ...') and
  -- its fix is titled 'Insert the "Non-Goals" section' (or 'Insert missing section `Non-Goals`').
  local heading = lsp_diag.message:match('"(.-)"')
  assert(heading, "the diagnostic names no section: " .. lsp_diag.message)
  local action
  for _, r in pairs(results) do
    for _, a in ipairs(r.result or {}) do
      if a.title and a.title:match("^Insert") and a.title:find(heading, 1, true) then
        action = action or a
      end
    end
  end
  assert(action, ("no 'Insert ... %q ...' action; got %s"):format(heading, vim.inspect(results)))
  if not action.edit and (client.server_capabilities.codeActionProvider or {}).resolveProvider then
    for _, r in pairs(vim.lsp.buf_request_sync(buf, "codeAction/resolve", action, 10000) or {}) do
      action = r.result or action
    end
  end
  assert(action.edit, "the action carries no edit")
  local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  assert(#after > #before, "the edit did not add text")
  assert(after:find("\n#+ " .. vim.pesc(heading) .. "\n"), ("no heading %q in the buffer after the fix"):format(heading))
  -- The server re-checks the edited text: this section is no longer reported missing.
  local ok = vim.wait(10000, function()
    for _, x in ipairs(by_code(vim.diagnostic.get(buf), "missing-section")) do
      if x.message:find(heading, 1, true) then
        return false
      end
    end
    return true
  end, 20)
  assert(ok, "missing-section for " .. heading .. " still reported after the fix")
end)

test(":KepRestart starts a new server and diagnostics come back", function()
  vim.api.nvim_set_current_buf(yaml_buf)
  local old = kep.clients(yaml_buf)[1]
  assert(old, "no client before restart")
  vim.cmd("KepRestart")
  local new = wait_client(yaml_buf)
  assert(new and new.id ~= old.id, "no new client after :KepRestart")
  vim.diagnostic.reset(nil, yaml_buf)
  local diags = wait_diagnostics(yaml_buf, function(ds)
    return #by_code(ds, "invalid-status") > 0
  end)
  eq(1, #by_code(diags, "invalid-status"), "invalid-status after restart")
end)

if mode == "setup" then
  test(":KepNew scaffolds a KEP (server's kep.new, else `kep-lsp new`) and opens its README", function()
    vim.api.nvim_set_current_buf(yaml_buf)
    local client = kep.clients(yaml_buf)[1]
    local provider = client.server_capabilities.executeCommandProvider
    local has_new = provider and vim.tbl_contains(provider.commands or {}, "kep.new")
    local done, err, uris = false, nil, nil
    kep.new_kep({ sig = "sig-node", title = "Editor Test KEP", number = 9999 }, function(e, u)
      done, err, uris = true, e, u
    end)
    vim.wait(15000, function()
      return done
    end, 20)
    assert(done, ":KepNew did not finish")
    out("# New KEP went through " .. (has_new and "the server's kep.new" or "`kep-lsp new` (the server has no kep.new)"))
    assert(not err, "New KEP failed: " .. tostring(err))
    assert(#uris >= 2, "created files not reported: " .. vim.inspect(uris))
    assert(vim.api.nvim_buf_get_name(0):match("9999%-editor%-test%-kep/README%.md$"), "the new README is not open")
    local dir = repo .. "/keps/sig-node/9999-editor-test-kep"
    local function content(name)
      local file = dir .. "/" .. name
      local buf = vim.fn.bufnr(file)
      if buf ~= -1 and vim.api.nvim_buf_is_loaded(buf) then
        return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
      end
      local f = io.open(file)
      if not f then
        return nil
      end
      local text = f:read("*a")
      f:close()
      return text
    end
    local yaml, readme = content("kep.yaml"), content("README.md")
    if not has_new then
      assert(vim.uv.fs_stat(dir .. "/kep.yaml"), "kep-lsp new wrote no kep.yaml on disk")
    end
    assert(yaml, "no kep.yaml in " .. dir .. "; answer: " .. vim.inspect(uris))
    assert(readme, "no README.md in " .. dir)
    assert(yaml:find("title: Editor Test KEP", 1, true) or yaml:find('title: "Editor Test KEP"', 1, true), yaml)
    assert(yaml:find("kep%-number: 9999"), "kep-number not filled in:\n" .. yaml)
    assert(yaml:find("owning%-sig: sig%-node"), "owning-sig not filled in:\n" .. yaml)
    assert(readme:find("Editor Test KEP", 1, true), "README title not filled in")
  end)

  test(":checkhealth kep_lsp finds the binary, its version and the root", function()
    vim.api.nvim_set_current_buf(yaml_buf)
    vim.cmd("silent checkhealth kep_lsp")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    vim.cmd("bwipeout")
    assert(text:find("found: " .. server, 1, true), "binary not reported:\n" .. text)
    assert(text:find("version: kep%-lsp"), "version not reported:\n" .. text)
    assert(text:find("KEP repository root: " .. repo, 1, true), "root not reported:\n" .. text)
    assert(text:find("kep-lsp attached", 1, true), "attachment not reported:\n" .. text)
    assert(not text:find("ERROR"), "health has errors:\n" .. text)
  end)
end

test("the server found nothing wrong with the settings it was sent", function()
  for _, note in ipairs(notes) do
    assert(not note:find("settings", 1, true), "server complained: " .. note)
  end
end)

out(("nvim-%s: %d passed, %d failed, %d skipped"):format(mode, passed, failed, skipped))
for _, c in ipairs(kep.clients()) do
  pcall(function()
    if vim.fn.has("nvim-0.11") == 1 then
      c:stop(true)
    else
      c.stop(true)
    end
  end)
end
vim.cmd((failed == 0 and passed > 0) and "qall!" or "cquit! 1")
