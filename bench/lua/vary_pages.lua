-- wrk script for the "uncached list" run of bench/run: every request asks for a different URL of the
-- notices list, so that no response cache keyed on the URL can answer it.
--
--   wrk ... -s vary_pages.lua http://127.0.0.1:PORT -- <pages> <offset> <threads> <page_size> <pad|nopad>
--
-- Request r (r = offset, offset+1, ... numbered across all wrk threads without overlap) asks for the first
-- page, as the target names it ("a list of 20 from 5,000 notices"):
--   /api/v1/notices?page=<a zeros>1&page_size=<b zeros><page_size>
-- with a = r mod 100 and b = floor(r / 100) mod 100 (with "pad"): the app reads page=001 as page 1, but
-- the raw URL, hence a cache key built from it, is new for 10,000 requests in a row. bench.py gives the
-- measured run an offset past the warm-up's requests, so the warm-up cannot pre-fill a cache either.
-- (<pages> is accepted for compatibility and not used.)

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local next_tid = 0
function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
end

local pages, offset, nthreads, page_size, pad, n
function init(args)
   pages = tonumber(args[1])
   offset = tonumber(args[2])
   nthreads = tonumber(args[3])
   page_size = args[4] or "20"
   pad = args[5] ~= "nopad"
   n = 0
end

function request()
   local r = offset + n * nthreads + tid
   n = n + 1
   local page_zeros = pad and string.rep("0", r % 100) or ""
   local size_zeros = pad and string.rep("0", math.floor(r / 100) % 100) or ""
   return wrk.format(nil, "/api/v1/notices?page=" .. page_zeros .. "1&page_size=" .. size_zeros .. page_size)
end
