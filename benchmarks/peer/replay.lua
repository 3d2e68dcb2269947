-- Replays a prepared request list with wrk: the same client for Steward and the peer.
--
--   WRK_REPLAY_OUT=OUT wrk -t1 -c8 -d600s --timeout 60s -s replay.lua URL -- LIST N
--
-- LIST: one request per line, tab-separated: method, path, body ("" for none), then header
-- names and values. Requests go out in list order (cycling if the list runs out, so give it a
-- line more per connection than N: the requests still in flight when the N-th answer arrives).
-- At the N-th answer the thread stops and OUT.end receives the wall time of the first request
-- and of the N-th answer, the answers and the failed ones (status >= 400) with the first such
-- answer; the caller then interrupts wrk (SIGINT), whose done() writes OUT with the latency
-- percentiles of the answers counted (microseconds).

local reqs = {}
local next_index = 0
local target = 0
local started = nil
answered = 0
bad = 0
first_bad = ""

local function now()
  local pipe = io.popen("date +%s.%N")
  local value = tonumber(pipe:read("*l"))
  pipe:close()
  return value
end

local function quote(s)
  s = tostring(s):gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("%c", " ")
  return '"' .. s .. '"'
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  target = tonumber(args[2])
  for line in io.lines(args[1]) do
    if line ~= "" then
      local f = split(line)
      local headers = {}
      for k = 4, #f - 1, 2 do
        headers[f[k]] = f[k + 1]
      end
      local body = nil
      if f[3] ~= "" then
        body = f[3]
      end
      reqs[#reqs + 1] = wrk.format(f[1], f[2], headers, body)
    end
  end
end

function request()
  if started == nil then
    started = now()
  end
  next_index = next_index + 1
  if next_index > #reqs then
    next_index = 1
  end
  return reqs[next_index]
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 400 then
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body or "", 1, 300)
    end
  end
  if answered == target then
    local finished = now()
    local out = io.open(os.getenv("WRK_REPLAY_OUT") .. ".end", "w")
    out:write(string.format(
      '{"started": %.6f, "finished": %.6f, "answered": %d, "bad": %d, "first_bad": %s}\n',
      started, finished, answered, bad, quote(first_bad)))
    out:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("WRK_REPLAY_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "p50_us": %d, "p95_us": %d, "max_us": %d, "socket_errors": %d}\n',
    summary.requests, latency:percentile(50), latency:percentile(95), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  out:close()
end
