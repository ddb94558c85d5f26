-- rollcall-dnsupdate-policy.lua - least-privilege DNS UPDATE policy for
-- PowerDNS Authoritative (lua-dnsupdate-policy-script), in BIND's terms.
--
-- PowerDNS 4.x can restrict a TSIG key to names and types only through a
-- Lua policy script.  This one reads its rules from
-- /etc/powerdns/rollcall-dnsupdate-policy.conf (or the file named by the
-- environment variable ROLLCALL_PDNS_POLICY), one rule a line, in the words
-- of BIND's update-policy:
--
--   grant KEY name      NAME TYPE...   -- exactly NAME
--   grant KEY subdomain NAME TYPE...   -- NAME and every name below it
--
-- TYPE is a record type (A, AAAA, TXT ...) or ANY.  There are only grants:
-- whatever no rule grants is refused.  For rollcall:
--
--   grant rollcall-coordinator subdomain example.test. ANY
--   grant host1 name host1._rollcall.srv.example.test. TXT
--   grant host1 name srv.example.test. A AAAA
--
-- With a policy script set, PowerDNS skips its TSIG-ALLOW-DNSUPDATE and
-- ALLOW-DNSUPDATE-FROM checks (allow-dnsupdate-from still applies), so
-- everything not granted here is refused: unsigned updates, unknown keys,
-- and any record a key has no rule for.  PowerDNS calls updatepolicy once
-- per record of an UPDATE.  Beware: PowerDNS 4.7 then skips the refused
-- records and still answers NOERROR (rollcall-agent reads its registration
-- back after a change and reports the refusal).
-- The rules are read when PowerDNS starts: restart it after editing them.

-- PowerDNS loads the script as a string, so it cannot find its own
-- directory: the rules file is fixed, or named by an environment variable
-- of pdns_server (a systemd drop-in: Environment=ROLLCALL_PDNS_POLICY=...).
local RULES_FILE = os.getenv("ROLLCALL_PDNS_POLICY") or
    "/etc/powerdns/rollcall-dnsupdate-policy.conf"

-- Record types a rule may name (pdns[...] also holds rcodes and more).
local TYPE_NAMES = { "A", "AAAA", "TXT", "CNAME", "MX", "NS", "PTR", "SRV",
    "CAA", "TLSA", "SSHFP", "HTTPS", "SVCB", "NAPTR", "DS", "DNAME", "LOC",
    "SPF", "HINFO", "URI" }
local TYPES, TYPE_NAME = {}, {}
for _, t in ipairs(TYPE_NAMES) do
  if pdns[t] ~= nil then
    TYPES[t] = pdns[t]
    TYPE_NAME[pdns[t]] = t
  end
end

-- Names compare without case and with the final dot.
local function canon(name)
  name = name:lower()
  if name:sub(-1) ~= "." then name = name .. "." end
  return name
end

local function log(msg, level)
  pdnslog("rollcall-dnsupdate-policy: " .. msg, level or pdns.loglevels.Info)
end

-- rules[key] = list of { sub = bool, name = "canon.", types = {[n]=true} | "ANY" }
local function load_rules(path)
  local rules, count = {}, 0
  local f, why = io.open(path, "r")
  if not f then
    log("cannot read " .. path .. " (" .. tostring(why) .. "): every update is refused",
        pdns.loglevels.Error)
    return rules, 0
  end
  local lineno = 0
  for line in f:lines() do
    lineno = lineno + 1
    line = line:gsub("[#;].*$", "")
    local words = {}
    for w in line:gmatch("%S+") do words[#words + 1] = w end
    if #words > 0 then
      local ok = #words >= 5 and words[1] == "grant" and
          (words[3] == "name" or words[3] == "subdomain")
      local types = {}
      for i = 5, #words do
        local t = words[i]:upper()
        if t == "ANY" then
          types = "ANY"
        elseif type(types) == "table" then
          if TYPES[t] == nil then ok = false else types[TYPES[t]] = true end
        end
      end
      if not ok then
        log(path .. ":" .. lineno .. ": not \"grant KEY name|subdomain NAME TYPE...\" " ..
            "(only grants exist; unknown types are errors): rule ignored",
            pdns.loglevels.Error)
      else
        local key = canon(words[2])
        rules[key] = rules[key] or {}
        table.insert(rules[key], { sub = words[3] == "subdomain",
            name = canon(words[4]), types = types })
        count = count + 1
      end
    end
  end
  f:close()
  return rules, count
end

local RULES, NRULES = load_rules(RULES_FILE)
log("loaded " .. NRULES .. " rules from " .. RULES_FILE)

local function covers(rule, qname)
  if qname == rule.name then return true end
  return rule.sub and qname:sub(-(#rule.name + 1)) == "." .. rule.name
end

function updatepolicy(request)
  local key = canon(request:getTsigName():toString())
  if key == "." then return false end          -- unsigned
  local qname = canon(request:getQName():toString())
  local qtype = request:getQType()
  for _, rule in ipairs(RULES[key] or {}) do
    if covers(rule, qname) and (rule.types == "ANY" or rule.types[qtype]) then
      return true
    end
  end
  log("refused: key " .. key .. " may not change " .. qname .. " " ..
      (TYPE_NAME[qtype] or qtype == 255 and "ANY" or ("type " .. qtype)))
  return false
end
