-- GET /v1/users/{random known user}/recommendations?k=10&variant=$VARIANT (ids from ids.lua, written by serve-load.sh)
dofile(os.getenv("IDS"))
local variant = os.getenv("VARIANT") or ""
math.randomseed(os.time())
request = function()
  local u = users[math.random(#users)]
  local query = "/v1/users/" .. u .. "/recommendations?k=10"
  if variant ~= "" then query = query .. "&variant=" .. variant end
  return wrk.format("GET", query)
end
