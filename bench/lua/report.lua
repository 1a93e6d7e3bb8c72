-- wrk script used by bench/run for every load run: after the run, prints one line
--   BENCH_JSON {...}
-- with the completed requests, duration, bytes, errors and latency percentiles (microseconds),
-- which bench/bench.py parses (more robust than scraping wrk's human-readable summary).

function done(summary, latency, requests)
   local e = summary.errors
   local percentiles = {}
   for _, p in ipairs({50, 75, 90, 99, 99.9}) do
      percentiles[#percentiles + 1] = string.format('"p%s": %d', tostring(p), latency:percentile(p))
   end
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, %s}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency.max, latency.stdev, table.concat(percentiles, ", ")))
end
