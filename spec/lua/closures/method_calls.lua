-- Method calls with ':' and method definitions.
local Account = {}
Account.__index = Account
function Account.new(balance) return setmetatable({ balance = balance }, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
local acc = Account.new(100)
acc:deposit(50):deposit(25)
print(acc:get(), acc.get(acc), Account.get(acc))
-- method definition with dotted path
local ns = { sub = { val = "v" } }
function ns.sub:m(x) return self.val .. x end
function ns.sub.f(x) return "f" .. x end
print(ns.sub:m("!"), ns.sub.f("?"))
-- self is a regular parameter
local o = { name = "o" }
function o.explicit(self, x) return self.name .. x end
print(o:explicit(1), o.explicit({ name = "other" }, 2))
-- method call evaluates the receiver once
local calls = 0
local function getObj() calls = calls + 1; return o end
print(getObj():explicit(3), calls)
-- methods on strings
local s = "hello"
print(s:upper(), s:len(), ("%d+%d"):format(1, 2), s:sub(2, 3):upper())
print(#s:rep(3), s:byte(1))
-- method call with string and table literal arguments
function o:lit(arg) return type(arg) end
print(o:lit "str", o:lit { 1 }, o:lit [[long]])
-- calling a missing method is an error naming the method
print(pcall(function() return o:missing() end))
print(pcall(function() local n = nil; return n:m() end))
print(pcall(function() return acc:nothing(1) end))
-- inheritance via __index chain
local Base = {}
Base.__index = Base
function Base:hello() return "hello from " .. self.kind end
local Derived = setmetatable({}, { __index = Base })
Derived.__index = Derived
function Derived:bye() return "bye from " .. self.kind end
local inst = setmetatable({ kind = "derived" }, Derived)
print(inst:hello(), inst:bye())
