-- wrk script: POST /v1/embeddings, each request the next line of the file $BODIES (one JSON body
-- per line, from BenchTexts.java), the $WRK_THREADS threads taking disjoint lines, so no text is
-- sent twice while the file lasts. Answers other than 200 are counted by wrk as non-2xx.
--   BODIES=bodies.jsonl WRK_THREADS=2 wrk -t2 -c512 -d30s --latency -s wrk-embeddings.lua http://localhost:8080
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  bodies[#bodies + 1] = line
end
local stride = tonumber(os.getenv("WRK_THREADS") or "1")
local created = 0

function setup(thread)
  thread:set("first", created)
  created = created + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Sluice-Timeout-Ms"] = "60000"
  index = first
end

function request()
  local body = bodies[index % #bodies + 1]
  index = index + stride
  return wrk.format(nil, "/v1/embeddings", nil, body)
end
