-- GET with no credentials: the baseline of the same process.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
