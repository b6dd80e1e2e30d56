-- wrk: GET /api/public/rankings over 100 different parameter sets (10 cities x 10 pages of 10), each
-- wrk thread walking them in turn (each request the next set) from its own starting point, so the requests
-- in flight at any moment are nearly all different and shared reads rarely happen.
-- Reports like p95.lua (loaded from the same folder; BENCH_DIR is set by bench/rankings.sh).
local cities = { "bogota", "medellin", "cali", "barranquilla", "cartagena",
                 "cucuta", "bucaramanga", "pereira", "ibague", "pasto" }
local paths = {}
for _, city in ipairs(cities) do
  for page = 0, 9 do
    paths[#paths + 1] = string.format("/api/public/rankings?city=%s&limit=10&offset=%d", city, page * 10)
  end
end

local counter = 0
setup = function(thread) thread:set("start", counter * 37); counter = counter + 1 end

local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[((start or 0) + n) % #paths + 1])
end

dofile(os.getenv("BENCH_DIR") .. "/p95.lua")
