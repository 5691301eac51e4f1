<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows a feed opened in a browser as a page: what it is, how to subscribe, its items.
     Podcast apps ignore it; the feed itself stays the same bytes for them. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

<xsl:template match="/rss/channel">
<html>
  <xsl:attribute name="lang">
    <xsl:choose>
      <xsl:when test="language"><xsl:value-of select="language"/></xsl:when>
      <xsl:otherwise>en</xsl:otherwise>
    </xsl:choose>
  </xsl:attribute>
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="title"/> · feed</title>
<link rel="stylesheet" href="{{CSS_URL}}"/>
</head>
<body class="feed-page">
<header class="site">
  <a class="brand" href="{link}"><xsl:value-of select="title"/></a>
</header>
<main id="main">
  <section class="feed-intro" aria-labelledby="feed-title">
    <xsl:if test="itunes:image/@href">
      <img class="artwork" src="{itunes:image/@href}" alt="" width="120" height="120"/>
    </xsl:if>
    <div>
      <h1 id="feed-title"><xsl:value-of select="title"/></h1>
      <p><xsl:value-of select="description"/></p>
    </div>
  </section>
  <section class="feed-how" aria-labelledby="feed-how">
    <h2 id="feed-how">This is a feed: copy its address into your podcast app</h2>
    <p>Podcast and feed reader apps read this page to follow the show. In your app, choose
      “Add by URL” (or “Follow a show by URL”) and paste this address:</p>
    <p class="feed-url"><code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
    <p><a href="{link}">Visit the website</a></p>
  </section>
  <section aria-labelledby="feed-items">
    <h2 id="feed-items">In this feed (<xsl:value-of select="count(item)"/>)</h2>
    <ol class="feed-items">
      <xsl:for-each select="item">
        <li>
          <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
          <xsl:if test="pubDate">
            <p class="meta"><xsl:value-of select="substring(pubDate, 6, 11)"/></p>
          </xsl:if>
          <xsl:if test="description != ''">
            <p><xsl:value-of select="description"/></p>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </section>
</main>
</body>
</html>
</xsl:template>

<xsl:template match="/">
  <xsl:apply-templates select="rss/channel"/>
</xsl:template>
</xsl:stylesheet>
