-- wrk script for the "search (cache off)" run of bench/run: the search URLs given as arguments, in turn.
--
--   wrk ... -s vary_search.lua http://127.0.0.1:PORT -- <offset> <threads> <path> <path> ...
--
-- Request r (r = offset, offset+1, ... numbered across all wrk threads without overlap) asks for path
-- number r mod (number of paths): every query gets its share.
-- bench.py gives the measured run an offset past the warm-up's requests.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local next_tid = 0
function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
end

local paths, offset, nthreads, n
function init(args)
   offset = tonumber(args[1])
   nthreads = tonumber(args[2])
   paths = {}
   for i = 3, #args do
      paths[#paths + 1] = args[i]
   end
   n = 0
end

function request()
   local r = offset + n * nthreads + tid
   n = n + 1
   return wrk.format(nil, paths[(r % #paths) + 1])
end
