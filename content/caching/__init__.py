"""Caching: the one home of every cache key, its lifetime and its invalidation.

A cache changes how fast a page is, never what it shows or to whom. Every list
built from cached ids fetches its rows through ``visible_to(user)`` and the
published status again (``content.selectors.search.assets_in_order``); a page
whose cached ids name an asset the user may no longer see refills itself.

Modules: ``keys`` (the registry below, the content version, library keys),
``release`` (the code version in keys), ``tiles`` (cached asset tiles),
``asset_body`` (the asset page's viewer-independent parts).
The default cache is shared by every worker: files in ``WINGMAN_CACHE_DIR`` on
one machine, Redis (``REDIS_URL``) for several; ``check --deploy`` warns about a
per-process cache (``content.checks``). Newcomers: docs/caching.md.

====================== ======== ==============================================
key (``wingman:...``)  lifetime invalidated by
====================== ======== ==============================================
``content-version``    none     bumped by every library service that changes
                                what readers may find (and after its commit)
``stage-kinds``        600 s    content version, release, audience class
``stage-page``         60 s     content version, release, audience class; a
                                page with an id no longer visible is refilled
``search``             60 s     content version, vector version, release,
                                audience class; a page with an id no longer
                                visible is refilled
``search-vocabulary``  600 s    content version, release, audience class
``search-words``       600 s    content version, release (library-wide)
``competitors``        600 s    content version, release, audience class
``tags``               600 s    content version, release, audience class
``library-mean-rating`` 300 s   expiry only (the Bayesian prior moves slowly)
``tile``               1 day    a new key when anything the tile shows, its
                                template, its icon or the release changes
``asset-body``         1 day    a new key when the asset is saved, gets a
                                version or one of its stages changes, or the
                                templates or release change
``stages``             600 s    content version (stage services bump it),
                                release
``analytics``          300 s    closed-deal version, filtered set's SQL and
                                size, content version (managers only)
====================== ======== ==============================================
"""
