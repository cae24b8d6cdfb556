-- Argo CD health of a Backtrack BackupSchedule (backtrack.io), from its kstatus conditions (docs/gitops.md).
-- Healthy: it runs on its clock and its newest backup completed (or none ran yet). Suspended: spec.suspend.
-- Degraded: its spec cannot work (Stalled), or its newest backup failed (LastBackupSucceeded False).
-- Progressing: not reconciled yet, or a reconcile fails and is retried.
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
local stalled, ready, last = conditions["Stalled"], conditions["Ready"], conditions["LastBackupSucceeded"]
if current(stalled) and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
elseif current(ready) and ready.status == "True" then
  if ready.reason == "Suspended" then
    hs.status = "Suspended"
    hs.message = describe(ready)
  elseif last ~= nil and last.status == "False" then
    hs.status = "Degraded"
    hs.message = describe(last)
  else
    hs.status = "Healthy"
    hs.message = describe(ready)
  end
else
  hs.status = "Progressing"
  if current(ready) then
    hs.message = describe(ready)
  else
    hs.message = "Waiting for the Backtrack operator"
  end
end
return hs
