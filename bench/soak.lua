-- The soak's request mix: pages, feeds, search and the JSON API, in turn on each connection.
local paths = {
  "/", "/episodes/434", "/episodes?page=2", "/episodes/rss", "/episodes/atom", "/talks",
  "/talks/rss", "/search?q=python", "/search?q=pytest&kind=talks", "/links", "/hosts/brian",
  "/api/v1/episodes", "/api/v1/search?q=packaging", "/sitemap.xml",
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
