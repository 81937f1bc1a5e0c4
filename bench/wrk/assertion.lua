-- POST /token: the client credentials grant with private_key_jwt (RFC 7523), as a real client
-- sends it: a fresh client assertion per request, from BENCH_ONE_TIME_FILE (made by bench/run
-- just before the run), and the client id (BENCH_CLIENT_ID).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
dofile(os.getenv("BENCH_WRK_DIR") .. "/one-time.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local function form_encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local form = "grant_type=client_credentials&scope=api.read&client_id=" .. form_encode(os.getenv("BENCH_CLIENT_ID")) ..
  "&client_assertion_type=" .. form_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") .. "&client_assertion="

function request()
  return wrk.format(nil, nil, nil, form .. one_time_next())
end
