-- GET with a valid access token (BENCH_TOKEN, issued just before the run and valid for longer).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
