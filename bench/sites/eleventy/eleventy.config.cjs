// Equal-output variant (see bench/equal.py): the pages `factcheck build` writes, made with Eleventy's own
// machinery. Claims are content files tagged "claims"; the listings by rating, claimant, topic and outlet
// are one template paginated over a collection of 50-claim pages (Eleventy paginates one list at a time,
// so each group is cut into pages here, as its docs do for per-tag pagination).
const path = require("node:path");

const PAGE_SIZE = 50;
const KINDS = {
  ratings: ["Ratings", "Claims rated %s", ""],
  claimants: ["Claimants", "Claims by %s", "Everyone whose claims we checked, with the number of claims checked."],
  topics: ["Topics", "Claims about %s", "Every topic our reports cover, with the number of claims checked."],
  outlets: ["Outlets", "Claims in articles by %s", "Every outlet whose articles we reviewed, with the number of claims checked."],
};
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const RELATED = 5;
const DEEP = 200;

function day(value) {
  return value instanceof Date ? value : new Date(value);
}

module.exports = function (eleventyConfig) {
  const ratings = require(path.join(__dirname, "src", "_data", "scale.json"));
  const slugify = eleventyConfig.getFilter("slugify");
  let md = null;
  eleventyConfig.amendLibrary("md", (lib) => {
    md = lib;
  });
  eleventyConfig.addFilter("md", (text) => md.render(text));
  // The pages a pager links, as factcheck's generator/site/indexes.py pager_window: every page of a list of
  // up to 10, else the first, the last and two either side of the current one; 0 marks a gap.
  eleventyConfig.addFilter("pagerWindow", (number, count) => {
    if (count <= 10) return Array.from({ length: count }, (_, i) => i + 1);
    const shown = [...new Set([1, count, ...[-2, -1, 0, 1, 2].map((d) => number + d).filter((n) => n >= 1 && n <= count)])].sort((a, b) => a - b);
    const out = [];
    for (const n of shown) {
      if (out.length && n - out[out.length - 1] === 2) out.push(n - 1);
      else if (out.length && n - out[out.length - 1] > 2) out.push(0);
      out.push(n);
    }
    return out;
  });
  eleventyConfig.addFilter("longdate", (value) => {
    const d = day(value);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  });
  eleventyConfig.addFilter("isodate", (value) => day(value).toISOString().slice(0, 10));
  eleventyConfig.addFilter("rfc822", (value) => day(value).toUTCString());
  eleventyConfig.addFilter("urlquery", (text) => encodeURIComponent(text));
  eleventyConfig.addPassthroughCopy({ static: "static" });

  // The verdict mix of some claims: [{rating, count}] in scale order.
  function mixOf(claims) {
    const counts = new Map();
    for (const c of claims) counts.set(c.data.rating_key, (counts.get(c.data.rating_key) || 0) + 1);
    return ratings.filter((r) => counts.has(r.key)).map((r) => ({ rating: r, count: counts.get(r.key) }));
  }
  eleventyConfig.addFilter("mix", mixOf);
  eleventyConfig.addFilter("byPerson", (reports, id, field) => reports.filter((r) => r.data[field].includes(id)));
  eleventyConfig.addFilter("ratingCount", (claims, key) => claims.filter((c) => c.data.rating_key === key).length);
  eleventyConfig.addFilter("ratedCount", (claims, key) => claims.filter((c) => c.rating_key === key).length);

  // A ClaimReview object for JSON-LD.
  function claimReview(c, url, site, date) {
    const rating = { "@type": "Rating", name: c.rating, alternateName: c.rating, ratingExplanation: c.explanation };
    if (c.value > 0) Object.assign(rating, { ratingValue: c.value, bestRating: 5, worstRating: 1 });
    const author = { "@type": "Person", name: c.claimant || "" };
    if (c.claimant_job) author.jobTitle = c.claimant_job;
    return {
      "@context": "https://schema.org",
      "@type": "ClaimReview",
      "@id": `${url}#claimreview`,
      url,
      claimReviewed: c.claim || c.title,
      reviewRating: rating,
      itemReviewed: {
        "@type": "Claim",
        author,
        appearance: [{ "@type": "Article", url: c.article_url, headline: c.headline, publisher: { "@type": "Organization", name: c.publisher } }],
      },
      author: { "@type": "Organization", name: site.title, url: site.url },
      datePublished: date,
      dateModified: date,
      inLanguage: "en",
    };
  }
  eleventyConfig.addFilter("claimReview", claimReview);
  // A report's NewsArticle, pointing to its claims' ClaimReviews (on the claim pages).
  eleventyConfig.addFilter("newsArticle", (r, url, site) => ({
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "@id": `${url}#article`,
    url,
    mainEntityOfPage: url,
    headline: r.title,
    description: r.summary,
    datePublished: r.date,
    dateModified: r.date,
    inLanguage: "en",
    author: r.authors.map((a) => ({ "@type": "Person", name: a.name })),
    publisher: { "@type": "Organization", name: site.title, url: site.url },
    keywords: r.subjects.join(", "),
    hasPart: r.claims.map((c) => ({ "@id": `${url}claims/${c.id}/#claimreview` })),
    about: { "@type": "Article", url: r.article_url, headline: r.headline, publisher: { "@type": "Organization", name: r.publisher } },
  }));

  // Groups of claims by kind, newest report first: {kind: Map(name -> claims)}.
  function groups(api) {
    const claims = api.getFilteredByTag("claims").slice().reverse();
    const out = {};
    for (const kind of Object.keys(KINDS)) {
      const found = new Map();
      for (const c of claims) {
        for (const name of c.data[kind]) {
          if (!found.has(name)) found.set(name, []);
          found.get(name).push(c);
        }
      }
      out[kind] = found;
    }
    return out;
  }

  eleventyConfig.addCollection("listings", (api) => {
    const pages = [];
    for (const [kind, found] of Object.entries(groups(api))) {
      const [hub, heading] = KINDS[kind];
      for (const [name, items] of found) {
        const base = `/${kind}/${slugify(name)}/`;
        const count = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
        const urls = Array.from({ length: count }, (_, i) => [i + 1, i ? `${base}${i + 1}/` : base]);
        const mix = kind === "claimants" ? mixOf(items) : null;
        for (let i = 0; i < count; i++) {
          const chunk = items.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
          pages.push({ kind, hub, name, heading: heading.replace("%s", name), url: urls[i][1], number: i + 1, count, pages: urls, total: items.length, first: i * PAGE_SIZE + 1, last: i * PAGE_SIZE + chunk.length, items: chunk, mix });
        }
      }
    }
    return pages;
  });

  eleventyConfig.addCollection("hubs", (api) => {
    const total = api.getFilteredByTag("claims").length;
    return Object.entries(groups(api))
      .filter(([kind]) => kind !== "ratings")
      .map(([kind, found]) => ({
        kind,
        title: KINDS[kind][0],
        intro: KINDS[kind][2],
        total,
        groups: [...found].map(([name, items]) => ({ name, url: `/${kind}/${slugify(name)}/`, count: items.length })).sort((a, b) => a.name.localeCompare(b.name)),
      }));
  });

  // Related claims, chosen as ours are: same claimant on a shared topic, the claimant's others, then shared topics.
  let index = null;
  eleventyConfig.addFilter("related", (claims, self) => {
    if (!index || index.claims !== claims) {
      const byClaimant = new Map();
      const byTopic = new Map();
      const newest = claims.slice().reverse();
      newest.forEach((c, n) => {
        c.data._position = n;
        const who = c.data.claimants[0];
        if (!byClaimant.has(who)) byClaimant.set(who, []);
        byClaimant.get(who).push(c);
        for (const t of c.data.topics) {
          if (!byTopic.has(t)) byTopic.set(t, []);
          byTopic.get(t).push(c);
        }
      });
      index = { claims, byClaimant, byTopic };
    }
    const topics = new Set(self.topics);
    const reach = RELATED + self.claim_count;
    const mine = index.byClaimant.get(self.claimants[0]) || [];
    const tiers = [
      mine.slice(0, DEEP).filter((c) => c.data.topics.some((t) => topics.has(t))),
      mine.slice(0, reach),
      [...topics].sort().flatMap((t) => (index.byTopic.get(t) || []).slice(0, reach)),
    ];
    const chosen = [];
    const seen = new Set([self.page.url]);
    for (const tier of tiers) {
      const fresh = [...new Map(tier.filter((c) => !seen.has(c.url)).map((c) => [c.url, c])).values()];
      fresh.sort((a, b) => (a.data.report === self.report) - (b.data.report === self.report) || a.data._position - b.data._position);
      for (const c of fresh.slice(0, RELATED - chosen.length)) {
        chosen.push(c);
        seen.add(c.url);
      }
    }
    return chosen;
  });

  return {
    dir: { input: "src", output: "_site", includes: "_includes" },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    templateFormats: ["md", "njk"],
  };
};
