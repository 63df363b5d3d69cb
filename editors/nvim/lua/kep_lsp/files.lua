--- Which files are KEP files, and where a KEP repository's root is. Mirrors the server's own
--- classification (src/analysis/document.rs) closely enough that we start it only where it has
--- something to say; the server still decides, by content, what each file is.
local M = {}

local function split(path)
  local parts = {}
  for part in path:gsub("\\", "/"):gmatch("[^/]+") do
    parts[#parts + 1] = part
  end
  return parts
end

--- The first line of a buffer (or of a file on disk when the buffer is not loaded).
local function first_line(path, bufnr)
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1] or ""
  end
  local f = io.open(path, "r")
  if not f then
    return ""
  end
  local line = f:read("*l") or ""
  f:close()
  return line
end

--- Whether `path` is a KEP file: `keps/**/kep.yaml`, `keps/**/NNNN-name/README.md`,
--- `keps/prod-readiness/**/*.yaml`, or legacy KEP Markdown under `keps/` opening with `---`.
---@param path string
---@param bufnr? integer buffer to read the first line from (legacy KEPs are known by front matter)
---@return boolean
function M.is_kep_file(path, bufnr)
  if not path or path == "" then
    return false
  end
  local parts = split(path)
  local file = parts[#parts]
  local keps_at
  for i = #parts - 1, 1, -1 do
    if parts[i] == "keps" then
      keps_at = i
      break
    end
  end
  if not keps_at or not file then
    return false
  end
  if file == "kep.yaml" then
    return true
  end
  if parts[keps_at + 1] == "prod-readiness" and file:match("%.yaml$") then
    return true
  end
  if not file:match("%.md$") then
    return false
  end
  local parent = parts[#parts - 1] or ""
  if file == "README.md" and parent ~= "keps" and parent:match("^%d") and parent:find("-", 1, true) then
    return true
  end
  if file == "README.md" and parent == "NNNN-kep-template" then
    return true
  end
  return vim.trim(first_line(path, bufnr)) == "---"
end

--- The KEP repository root: the folder holding the nearest `keps/` above `path`.
---@param path string
---@return string|nil
function M.find_root(path)
  if not path or path == "" then
    return nil
  end
  local abs = vim.fs.normalize(vim.fn.fnamemodify(path, ":p"))
  for dir in vim.fs.parents(abs) do
    if vim.fs.basename(dir) == "keps" then
      return vim.fs.dirname(dir)
    end
  end
  return nil
end

--- The `sig-*` (and `provider-*`, `wg-*`, ...) folders under `root/keps`, for :KepNew completion.
---@param root string
---@return string[]
function M.sig_folders(root)
  local out = {}
  local dir = root and vim.fs.joinpath(root, "keps")
  if not dir or vim.fn.isdirectory(dir) == 0 then
    return out
  end
  for name, kind in vim.fs.dir(dir) do
    if kind == "directory" and (name:match("^sig%-") or name:match("^wg%-") or name:match("^provider%-")) then
      out[#out + 1] = name
    end
  end
  table.sort(out)
  return out
end

return M
