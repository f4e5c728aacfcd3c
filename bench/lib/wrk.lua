-- wrk's script for the benches (bench/lib/wrk.ts): optionally each request from the next of a million
-- distinct visitor addresses (X-Forwarded-For, as a trusted proxy says it), and a JSON summary.
-- Odd requests are IPv4 addresses over the whole space, even ones IPv6 /64s of 2001:db8::/32.
local n = 0
local distinct = os.getenv("WRK_DISTINCT") == "1"
local format, floor = string.format, math.floor
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then wrk.body = body end

request = function()
  if distinct then
    n = (n + 1) % 1000000
    local spread = (n * 2654435761) % 4294967296
    local address
    if n % 2 == 1 then
      address = format("%d.%d.%d.%d", floor(spread / 16777216) % 223 + 1, floor(spread / 65536) % 256, floor(spread / 256) % 256, spread % 256)
    else
      address = format("2001:db8:%x:%x::1", floor(spread / 65536), spread % 65536)
    end
    wrk.headers["X-Forwarded-For"] = address
  end
  return wrk.format()
end

done = function(summary, latency)
  local errors = summary.errors
  io.write(format('WRK_RESULT {"requests":%d,"seconds":%.3f,"p50":%.3f,"p99":%.3f,"non2xx":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
