"""Unmet demand: what people search for, counted as anonymous daily aggregates.

Each first page of a public search (the search page, its embedded copy and the guided route's
results; not the API, the map's GeoJSON, other pages of results, the same search shown again, or
robots) adds one to a count of (day, commune of the reference point, kinds, level, distance band
of the nearest matching course). Nothing else is kept: no address, no user agent, no query text.
Counts are buffered in each process and written in one statement now and then (``recorder``);
the cadastre reads them (``queries``)."""
