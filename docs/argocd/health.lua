-- Argo CD health of Backtrack's resources (backtrack.io Backup, Restore, BackupSchedule), from their kstatus
-- conditions (docs/gitops.md). Conditions written for an older generation say nothing about the current one.
-- Backup, Restore: Healthy once completed; Degraded once failed (Stalled, or Completed with reason Failed);
--   Progressing while waiting or running.
-- BackupSchedule: Healthy on its clock with its newest backup completed (or none yet); Suspended when suspended;
--   Degraded when its spec cannot work (Stalled) or its newest backup failed (LastBackupSucceeded False);
--   Progressing before it is reconciled, or while a reconcile is retried.
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
local stalled, ready, completed = conditions["Stalled"], conditions["Ready"], conditions["Completed"]
local reconciling, last = conditions["Reconciling"], conditions["LastBackupSucceeded"]
local waiting = "Waiting for the Backtrack operator"
if current(stalled) and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
elseif obj.kind ~= "BackupSchedule" and current(completed) and completed.status == "True" and completed.reason == "Failed" then
  hs.status = "Degraded"
  hs.message = describe(completed)
elseif current(ready) and ready.status == "True" then
  if obj.kind == "BackupSchedule" and ready.reason == "Suspended" then
    hs.status = "Suspended"
    hs.message = describe(ready)
  elseif obj.kind == "BackupSchedule" and last ~= nil and last.status == "False" then
    hs.status = "Degraded"
    hs.message = describe(last)
  else
    hs.status = "Healthy"
    hs.message = describe(ready)
  end
elseif current(reconciling) and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
else
  hs.status = "Progressing"
  if obj.kind == "BackupSchedule" and current(ready) then
    hs.message = describe(ready)
  else
    hs.message = waiting
  end
end
return hs
