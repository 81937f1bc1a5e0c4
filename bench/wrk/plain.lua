-- GET with no credentials: the API's /public, the baseline of the same process (and the Node
-- demo's GET /token, which asks for none).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
