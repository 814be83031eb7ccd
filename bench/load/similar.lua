-- GET /v1/items/{random item}/similar?k=10 (ids from ids.lua, written by the load scripts)
dofile(os.getenv("IDS"))
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/v1/items/" .. items[math.random(#items)] .. "/similar?k=10")
end
