-- richards.lua - a Richards-like OS kernel simulation: task control blocks, packet queues and a
-- scheduler (after Martin Richards' benchmark as in the Octane suite): object-heavy control flow.
local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4

local Packet = {}
Packet.__index = Packet
function Packet.new (link, id, kind)
  local data = {}
  for i = 1, DATA_SIZE do data[i] = 0 end
  return setmetatable({ link = link, id = id, kind = kind, a1 = 0, a2 = data }, Packet)
end
function Packet:addTo (queue)
  self.link = nil
  if queue == nil then return self end
  local next = queue
  while next.link ~= nil do next = next.link end
  next.link = self
  return queue
end

local Scheduler = {}
Scheduler.__index = Scheduler
function Scheduler.new ()
  return setmetatable({ queueCount = 0, holdCount = 0, blocks = {}, list = nil, currentTcb = nil, currentId = nil }, Scheduler)
end

-- task states: packet pending, waiting, held
local TCB = {}
TCB.__index = TCB
function TCB.new (link, id, priority, queue, task)
  local t = setmetatable({ link = link, id = id, priority = priority, queue = queue, task = task }, TCB)
  t.pending, t.waiting, t.held = queue ~= nil, false, false
  return t
end
function TCB:isHeldOrSuspended () return self.held or (not self.pending and self.waiting) end
function TCB:checkPriorityAdd (task, packet)
  if self.queue == nil then
    self.queue = packet; self.pending = true
    if self.priority > task.priority then return self end
  else
    self.queue = packet:addTo(self.queue)
  end
  return task
end
function TCB:run ()
  local packet
  if self.waiting and self.pending then
    packet = self.queue
    self.queue = packet.link
    self.pending = self.queue ~= nil
    self.waiting = false
  end
  return self.task:run(packet)
end

function Scheduler:addTask (id, priority, queue, task)
  self.currentTcb = TCB.new(self.list, id, priority, queue, task)
  self.list = self.currentTcb
  self.blocks[id] = self.currentTcb
end
function Scheduler:schedule ()
  self.currentTcb = self.list
  while self.currentTcb ~= nil do
    if self.currentTcb:isHeldOrSuspended() then
      self.currentTcb = self.currentTcb.link
    else
      self.currentId = self.currentTcb.id
      self.currentTcb = self.currentTcb:run()
    end
  end
end
function Scheduler:release (id)
  local tcb = self.blocks[id]
  if tcb == nil then return tcb end
  tcb.held = false
  if tcb.priority > self.currentTcb.priority then return tcb end
  return self.currentTcb
end
function Scheduler:holdCurrent ()
  self.holdCount = self.holdCount + 1
  self.currentTcb.held = true
  return self.currentTcb.link
end
function Scheduler:suspendCurrent ()
  self.currentTcb.waiting = true
  return self.currentTcb
end
function Scheduler:queue (packet)
  local t = self.blocks[packet.id]
  if t == nil then return t end
  self.queueCount = self.queueCount + 1
  packet.link = nil
  packet.id = self.currentId
  return t:checkPriorityAdd(self.currentTcb, packet)
end

local function newTask (run) return function (sched, fields)
  fields.sched = sched; fields.run = run; return fields end end
local IdleTask = newTask(function (self)
  self.count = self.count - 1
  if self.count == 0 then return self.sched:holdCurrent() end
  if self.v1 % 2 == 0 then
    self.v1 = self.v1 // 2
    return self.sched:release(ID_DEVICE_A)
  end
  self.v1 = (self.v1 // 2) ~ 0xD008
  return self.sched:release(ID_DEVICE_B)
end)
local DeviceTask = newTask(function (self, packet)
  if packet == nil then
    if self.v1 == nil then return self.sched:suspendCurrent() end
    local v = self.v1
    self.v1 = nil
    return self.sched:queue(v)
  end
  self.v1 = packet
  return self.sched:holdCurrent()
end)
local WorkerTask = newTask(function (self, packet)
  if packet == nil then return self.sched:suspendCurrent() end
  self.v1 = (self.v1 == ID_HANDLER_A) and ID_HANDLER_B or ID_HANDLER_A
  packet.id = self.v1
  packet.a1 = 0
  for i = 1, DATA_SIZE do
    self.v2 = self.v2 + 1
    if self.v2 > 26 then self.v2 = 1 end
    packet.a2[i] = self.v2
  end
  return self.sched:queue(packet)
end)
local HandlerTask = newTask(function (self, packet)
  if packet ~= nil then
    if packet.kind == KIND_WORK then self.v1 = packet:addTo(self.v1) else self.v2 = packet:addTo(self.v2) end
  end
  if self.v1 ~= nil then
    local count = self.v1.a1
    if count < DATA_SIZE then
      if self.v2 ~= nil then
        local v = self.v2
        self.v2 = self.v2.link
        v.a1 = self.v1.a2[count + 1]
        self.v1.a1 = count + 1
        return self.sched:queue(v)
      end
    else
      local v = self.v1
      self.v1 = self.v1.link
      return self.sched:queue(v)
    end
  end
  return self.sched:suspendCurrent()
end)

local function runRichards (count)
  local s = Scheduler.new()
  s:addTask(ID_IDLE, 0, nil, IdleTask(s, { v1 = 1, count = count }))
  s.currentTcb.pending = false  -- idle task starts runnable
  local q = Packet.new(nil, ID_WORKER, KIND_WORK)
  q = Packet.new(q, ID_WORKER, KIND_WORK)
  s:addTask(ID_WORKER, 1000, q, WorkerTask(s, { v1 = ID_HANDLER_A, v2 = 0 }))
  s.currentTcb.waiting = true
  q = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  s:addTask(ID_HANDLER_A, 2000, q, HandlerTask(s, {}))
  s.currentTcb.waiting = true
  q = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  s:addTask(ID_HANDLER_B, 3000, q, HandlerTask(s, {}))
  s.currentTcb.waiting = true
  s:addTask(ID_DEVICE_A, 4000, nil, DeviceTask(s, {}))
  s.currentTcb.waiting = true
  s:addTask(ID_DEVICE_B, 5000, nil, DeviceTask(s, {}))
  s.currentTcb.waiting = true
  s:schedule()
  return s.queueCount, s.holdCount
end
local qc, hc = 0, 0
for _ = 1, 8 do
  local a, b = runRichards(10000)
  qc, hc = qc + a, hc + b
end
print(qc, hc)
