-- GET with a DPoP-bound access token (BENCH_TOKEN) and a fresh proof of its key per request
-- (RFC 9449), as a DPoP client sends it: the proofs, made by bench/run for this URL and token
-- just before the run, come from BENCH_ONE_TIME_FILE.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
dofile(os.getenv("BENCH_WRK_DIR") .. "/one-time.lua")
wrk.headers["Authorization"] = "DPoP " .. os.getenv("BENCH_TOKEN")

function request()
  -- wrk.headers, not a table of our own: it holds the Host header with the port, which the
  -- proof's htu names.
  wrk.headers["DPoP"] = one_time_next()
  return wrk.format()
end
