-- POST /token: the client credentials grant with client_secret_basic, as a real client sends it.
-- BENCH_BASIC is base64(client_id:client_secret), prepared by bench/run.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=api.read"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_BASIC")
