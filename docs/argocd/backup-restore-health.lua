-- Argo CD health of a Backtrack Backup or Restore (backtrack.io), from its kstatus conditions (docs/gitops.md).
-- Healthy: completed. Degraded: failed (Stalled, or Completed with reason Failed). Progressing: waiting or running.
-- Conditions written for an older generation of the resource say nothing about the current one.
local hs = {}
local function current(c)
  if c == nil then return false end
  local generation = obj.metadata and obj.metadata.generation
  return c.observedGeneration == nil or generation == nil or c.observedGeneration >= generation
end
local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return (c.reason or "") .. ": " .. c.message
  end
  return c.reason or ""
end
local conditions = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    conditions[c.type] = c
  end
end
local stalled, completed, ready = conditions["Stalled"], conditions["Completed"], conditions["Ready"]
local reconciling = conditions["Reconciling"]
if current(stalled) and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
elseif current(completed) and completed.status == "True" and completed.reason == "Failed" then
  hs.status = "Degraded"
  hs.message = describe(completed)
elseif current(ready) and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
elseif current(reconciling) and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
else
  hs.status = "Progressing"
  hs.message = "Waiting for the Backtrack operator"
end
return hs
