-- POST /v1/interactions: BATCH (default 1) interactions of random known users and items per request
dofile(os.getenv("IDS"))
local batch = tonumber(os.getenv("BATCH") or "1")
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local function one()
  return string.format('{"user":"%s","item":"%s","type":"view"}', users[math.random(#users)], items[math.random(#items)])
end
request = function()
  if batch == 1 then return wrk.format(nil, "/v1/interactions", nil, one()) end
  local parts = {}
  for j = 1, batch do parts[j] = one() end
  return wrk.format(nil, "/v1/interactions", nil, '{"interactions":[' .. table.concat(parts, ",") .. ']}')
end
