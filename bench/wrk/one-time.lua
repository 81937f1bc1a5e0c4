-- Shared by the loads of one-time JWTs (client assertions, DPoP proofs), each of which the server
-- accepts once: bench/run writes as many as a run can send to BENCH_ONE_TIME_FILE, one per line,
-- just before the run, and each request takes the next line. With several wrk threads
-- (BENCH_WRK_THREADS), thread i of n takes lines i, i + n, i + 2n...: no line is sent twice.
-- A thread that runs out stops (a replayed JWT would only measure a refusal), and the run's
-- figures say so ("one_time_exhausted"): it ended before its duration.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("one_time_thread", #threads)
end

local lines = {}
local next_line = 1

function init(args)
  local stride = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  local index = 0
  for line in io.lines(os.getenv("BENCH_ONE_TIME_FILE")) do
    if index % stride == one_time_thread - 1 then
      lines[#lines + 1] = line
    end
    index = index + 1
  end
  if #lines == 0 then
    error("no one-time JWTs for thread " .. one_time_thread .. " in " .. os.getenv("BENCH_ONE_TIME_FILE"))
  end
end

-- The next unused line. After the last, stops this thread; wrk still needs a request to write,
-- but its event loop ends before any answer to it is read or counted.
function one_time_next()
  local line = lines[next_line]
  if line == nil then
    one_time_exhausted = true
    wrk.thread:stop()
    return lines[#lines]
  end
  next_line = next_line + 1
  return line
end

-- Added to report.lua's figures.
function report_extra()
  local exhausted = false
  for _, thread in ipairs(threads) do
    if thread:get("one_time_exhausted") then
      exhausted = true
    end
  end
  return string.format(',"one_time_exhausted":%s', tostring(exhausted))
end
