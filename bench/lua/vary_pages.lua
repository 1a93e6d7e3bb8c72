-- wrk script for the "uncached list" run of bench/run: every request asks for a different URL of the
-- notices list, so that no response cache keyed on the URL can answer it.
--
--   wrk ... -s vary_pages.lua http://127.0.0.1:PORT -- <pages> <offset> <threads> <page_size> <pad|nopad>
--
-- Request r (r = offset, offset+1, ... numbered across all wrk threads without overlap) asks for
--   /api/v1/notices?page=<zeros><p>&page_size=<page_size>
-- with p = r mod pages + 1 (cycling over every real page: 20 items each, except maybe the last) and
-- floor(r / pages) leading zeros (with "pad"): the app reads page=007 as page 7, but the raw URL, hence a
-- cache key built from it, is new on every request. bench.py gives the measured run an offset past the
-- warm-up's requests, so the warm-up cannot pre-fill a cache either.

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
   local page = r % pages + 1
   local zeros = pad and string.rep("0", math.floor(r / pages)) or ""
   return wrk.format(nil, "/api/v1/notices?page=" .. zeros .. page .. "&page_size=" .. page_size)
end
