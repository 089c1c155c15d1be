-- wrk script: requests cycle through the paths listed in a file (one a line), from a
-- different starting point in each thread. With "bust", every request gets a parameter
-- no other request has, so the app cannot answer it from its cache (a cold answer).
--   wrk -c8 -t2 -d5s --latency -s bench/paths.lua http://127.0.0.1:8160 -- paths.txt bust
local paths, index, bust, serial = {}, 0, false, 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  bust = args[2] == "bust"
  math.randomseed(os.time() + tonumber(tostring(paths):match("0x(%x+)") or "0", 16))
  index = math.random(#paths) - 1
  serial = math.random(1, 1000000000)
end

function request()
  index = index % #paths + 1
  local path = paths[index]
  if bust then
    serial = serial + 1
    local separator = path:find("?", 1, true) and "&" or "?"
    path = path .. separator .. "nocache=" .. serial
  end
  return wrk.format("GET", path)
end
