-- GET the JWKS with its current ETag: Auth answers 304 with no body, its cheapest request, the
-- baseline of Auth's own HTTP cost. BENCH_JWKS_ETAG is read by bench/run just before the load.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.headers["If-None-Match"] = os.getenv("BENCH_JWKS_ETAG")
