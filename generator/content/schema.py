"""The content schema, written once: the validator walks it and `factcheck schema` prints it.

Each spec is data (a frozen dataclass), so the same definition drives validation,
JSON Schema for editors' tools and the field reference in the docs.
"""

from __future__ import annotations

from generator.content.specs import (
    Boolean,
    Choice,
    Color,
    Date,
    Integer,
    ListOf,
    Obj,
    Path,
    Slug,
    Spec,
    Text,
    Url,
    opt,
    req,
)

__all__ = ["Boolean", "Choice", "Color", "Date", "Integer", "ListOf", "Obj", "Path", "Slug", "Spec", "Text", "Url", "opt", "req"]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits: Python's \d matches any script's
# Hard limits, in characters, for text printed on every page (or beside every verdict): one megabyte there is a site
# of gigabytes. Far above any real title, name or one-sentence description.
EVERY_PAGE_LINE = 200
EVERY_PAGE_TEXT = 1_000

# Top-level folders the generator writes; a plain page may not take one of these names.
RESERVED_TOP = frozenset(
    {
        "reports",
        "ratings",
        "static",
        "data",
        "search",
        "topics",
        "claimants",
        "outlets",
        "corrections",
        "feeds",
        "404",
        "index",
        "sitemap",
        "robots",
        "page",
        "people",
    }
)


LINK = Obj(
    "A link to an archived copy or related page.",
    (
        req("url", Url("The address (http or https).")),
        opt("label", Text("What the link is, e.g. 'Wayback Machine, 26 Nov 2026'.", single_line=True)),
    ),
)

RATING_TEXT = Obj(
    "The rating's label and definition in another language of the site.",
    (
        req("language", Text("A language of the site (site.yaml `languages`), e.g. 'es'.", single_line=True)),
        req("label", Text("The label in that language, e.g. 'Falso'.", single_line=True, limit=EVERY_PAGE_LINE)),
        req("definition", Text("The definition in that language.", limit=EVERY_PAGE_TEXT)),
    ),
)

RATING = Obj(
    "A rating on the site's scale.",
    (
        req("key", Slug("Stable key used in reports' `verdict.rating`.")),
        req("label", Text("The label readers see, e.g. 'Mostly false'.", single_line=True, max_len=40, limit=EVERY_PAGE_LINE)),
        req("definition", Text("One sentence: when this rating applies.", limit=EVERY_PAGE_TEXT)),
        opt(
            "value",
            Integer(
                "Place on the scale, 1 to 100, higher is truer, one a rating; a step between two needs them renumbered. Not for ratings outside the scale.",
                1,
                100,
            ),
        ),
        req("color", Color("Badge colour; verdicts also show their label, never colour alone. The label is white, or black on a light colour.")),
        opt("image", Url("Address (https) of an image of the rating (a meter), for ClaimReview's reviewRating.image.")),
        opt("translations", ListOf("The label and definition in the site's other languages.", RATING_TEXT)),
    ),
)

RATINGS = Obj(
    "The rating scale: ordered ratings, plus ratings outside the scale.",
    (
        req("scale", ListOf("Ratings on the scale, best first; each needs a whole-number `value`, lower down the list.", RATING, 0)),
        opt("other", ListOf("Ratings outside the scale (unproven, opinion...), with no numeric value.", RATING)),
    ),
)

ORGANIZATION = Obj(
    "The publishing organisation, named as author of every ClaimReview.",
    (
        req("name", Text("Organisation name.", single_line=True, limit=EVERY_PAGE_LINE)),
        opt("url", Url("Organisation home page.")),
        opt("logo", Url("Absolute URL of the organisation's logo.")),
    ),
)

CLAIMANT_PROFILE = Obj(
    "Someone whose claims we check, declared once: a picture and who they are elsewhere.",
    (
        req("name", Text("The name as reports spell it in claims[].claimant.name (case and spacing aside).", single_line=True)),
        opt("image", Url("Address (https) of a picture, shown on the claimant's page and in ClaimReview.")),
        opt("same_as", ListOf("Pages that identify them (Wikidata, an official site), for ClaimReview sameAs.", Url(""), 0, True)),
    ),
)

TRANSPARENCY = Obj(
    "Who funds and owns the site and how to reach it: shown on the about page and in every footer.",
    (
        opt("funding", Text("Who pays for the work, in a sentence or two (IFCN: transparency of funding).", limit=EVERY_PAGE_TEXT)),
        opt("ownership", Text("Who owns and runs the site, and its legal form.", limit=EVERY_PAGE_TEXT)),
        opt("contact", Text("An email address or https address (a form) for readers.", single_line=True, limit=EVERY_PAGE_LINE)),
        opt("tips", Text("An email address or https address where readers send claims to check.", single_line=True, limit=EVERY_PAGE_LINE)),
        opt("report_errors", Text("An email address or https form for 'Report an error on this page' (default: contact).", single_line=True)),
        opt("ifcn", Url("The IFCN signatory profile, if the organisation is a signatory.")),
    ),
)

LANGUAGE = Obj(
    "A language the site publishes in.",
    (
        req("code", Text("Language tag (BCP 47), e.g. 'en', 'es', 'pt-BR', 'ar'.", single_line=True)),
        opt("title", Text("The site's title in this language (default: `title`).", single_line=True, limit=EVERY_PAGE_LINE)),
        opt("description", Text("The site's description in this language (default: `description`).", limit=EVERY_PAGE_TEXT)),
    ),
)

SITE = Obj(
    "Site configuration (content/site.yaml).",
    (
        req("title", Text("Site title.", single_line=True, limit=EVERY_PAGE_LINE)),
        req("description", Text("One-sentence description, used in meta tags and feeds.", limit=EVERY_PAGE_TEXT)),
        opt("language", Text("Language tag (BCP 47) of a one-language site, e.g. 'en', 'es', 'pt-BR' (default: 'en').", single_line=True)),
        opt(
            "languages",
            ListOf("The languages of a multilingual site: the first is served at the root, each other under /<code>/.", LANGUAGE, 1),
        ),
        opt("base_url", Url("Public address of the site, used only for canonical and absolute URLs.")),
        req("organization", ORGANIZATION),
        opt("theme", Slug("Theme folder name under themes/ (default: 'default').")),
        opt("reviewers_required", Integer("Reviewers other than the authors a report needs to be published.", 0, 10)),
        opt("page_size", Integer("Items per page on index pages.", 5, 1000)),
        req("ratings", RATINGS),
        opt("license_url", Url("The licence of the site's structured data and exports (ClaimReview sdLicense).")),
        opt("transparency", TRANSPARENCY),
        opt("claimants", ListOf("Claimants' pictures and identities, used on their pages and in ClaimReview.", CLAIMANT_PROFILE)),
        opt("share_cards", Boolean("Draw a share card (PNG with the claim and its verdict) for each claim's link previews; default true.")),
        opt("favicon", Text("Site icon: 'static/...' from the theme or an https URL (default: the theme's favicon.svg).", single_line=True)),
    ),
    title="Site configuration",
)

PERSON = Obj(
    "An author or reviewer.",
    (
        req("id", Slug("Stable id used in reports' `authors` and `reviewers`.")),
        req("name", Text("Display name.", single_line=True)),
        opt("role", Text("Role, e.g. 'Researcher' or 'Editor'.", single_line=True)),
        opt("bio", Text("Short biography (markdown).", markdown=True)),
        opt("photo", Url("Address (https) of a portrait shown on the person's page.")),
        opt("same_as", ListOf("Pages about the person elsewhere (a profile, Wikidata), for schema.org sameAs.", Url(""), 0, True)),
    ),
)

PEOPLE = ListOf("People who write and review reports (content/people.yaml).", PERSON)

QUOTE = Obj(
    "Where the claim stands in the article: a W3C TextQuoteSelector on the snapshot.",
    (
        req("exact", Text("The exact words of the claim, copied from the snapshot.")),
        opt("prefix", Text("Text just before `exact`, only when `exact` occurs more than once.")),
        opt("suffix", Text("Text just after `exact`, only when `exact` occurs more than once.")),
    ),
)

CLAIMANT = Obj(
    "Who made the claim (defaults to the article's publisher).",
    (
        req("name", Text("Person or organisation name.", single_line=True)),
        opt("type", Choice("Person or organisation.", ("person", "organization"))),
        opt("job_title", Text("A person's role, e.g. 'Senator for Ohio'.", single_line=True)),
    ),
)

APPEARANCE = Obj(
    "Another place the claim was made, besides the article under review.",
    (
        req("url", Url("Where it appeared.")),
        req("kind", Choice("What it is.", ("post", "video", "speech", "article"))),
        opt("title", Text("What it is called, e.g. 'Interview on Channel 4 News'.", single_line=True)),
        opt("date", Date("When it appeared, if known.")),
        opt("archives", ListOf("Archived copies.", LINK)),
    ),
)

VERDICT = Obj(
    "The verdict on the claim.",
    (
        req("rating", Slug("A rating key from site.yaml.", ref="rating")),
        req("explanation", Text("One or two sentences: the verdict in plain words.", max_len=400)),
    ),
)

CLAIM = Obj(
    "One checkable claim of the article.",
    (
        req("id", Slug("Stable id, unique in the report; part of the claim page's URL.")),
        req("quote", QUOTE),
        req("claim_reviewed", Text("The claim restated neutrally and briefly (no rating words).", max_len=120, single_line=True)),
        opt("claimant", CLAIMANT),
        opt("claim_date", Date("When the claim was made, if known.")),
        opt("appearances", ListOf("Other places the claim was made (posts, videos, speeches, articles), for ClaimReview appearance.", APPEARANCE)),
        req("verdict", VERDICT),
        req("analysis", Text("The analysis in markdown; cite sources as [@source-id].", markdown=True)),
        req("sources", ListOf("Ids of the report's sources this claim relies on.", Slug("", ref="source"), 1, True)),
    ),
)

EXCERPT = Obj(
    "A short exact excerpt of the source that supports the analysis.",
    (
        req("text", Text("The exact words, 25 or fewer.")),
        opt("locator", Text("Where in the source: page, section, timestamp.", single_line=True)),
    ),
)

SOURCE = Obj(
    "A source the report relies on.",
    (
        req("id", Slug("Stable id, unique in the report; cite it as [@id].")),
        req("title", Text("Title of the document, article or dataset.", single_line=True)),
        req("publisher", Text("Who published it.", single_line=True)),
        opt("author", Text("Author(s), if known.", single_line=True)),
        opt("date", Date("Publication date, if known.")),
        req("url", Url("The original address.")),
        opt("via", Url("The mirror or archive actually read, where the original was not.")),
        opt("archives", ListOf("Archived copies.", LINK)),
        opt("accessed", Date("When it was read.")),
        req("kind", Choice("Primary (the record itself) or secondary (reporting on it).", ("primary", "secondary"))),
        opt("excerpt", EXCERPT),
        opt("note", Text("A short caveat shown with the source, e.g. 'headline only seen'.")),
    ),
)

ARTICLE = Obj(
    "The published article under review.",
    (
        req("headline", Text("The article's headline.", single_line=True)),
        req("publisher", Text("The outlet that published it.", single_line=True)),
        opt("publisher_url", Url("The outlet's home page.")),
        opt("authors", ListOf("Bylines, if any.", Text("", single_line=True))),
        req("url", Url("Where the article was published.")),
        opt("published", Date("Publication date, if shown.")),
        opt("published_note", Text("Why the publication date is missing or uncertain.")),
        req("retrieved", Date("When the snapshot was taken.")),
        opt("archives", ListOf("Archived copies of the article.", LINK)),
        opt("snapshot", Path("Path of the article's text in seeds/, which quotes anchor to (or `text_unavailable`).")),
        opt(
            "text_unavailable",
            Text("Instead of `snapshot`, for imported reviews only: why the article's text was not saved; quotes are then shown as recorded."),
        ),
        opt("publish_text", Boolean("Publish the annotated full text (mind copyright); default false.")),
    ),
)

CORRECTION = Obj(
    "One entry of the corrections log.",
    (
        req("date", Date("When the correction was made.")),
        req(
            "type",
            Choice(
                "Kind of change.",
                ("rating-change", "correction", "clarification", "update", "unpublished", "claim-removed", "withdrawn"),
            ),
        ),
        opt("claim", Slug("The claim concerned, if one.")),
        opt("from", Slug("Rating before the change (rating-change).", ref="rating")),
        opt("to", Slug("Rating after the change (rating-change).", ref="rating")),
        req("change", Text("What changed.")),
        req("reason", Text("Why it changed.")),
    ),
)

STATUSES = ("draft", "in-review", "published", "withdrawn")

WITHDRAWN = Obj(
    "Why and when a published report was withdrawn (required with status: withdrawn).",
    (
        req("date", Date("When it was withdrawn.")),
        req("reason", Text("Why, in a sentence or two readers see at the top of the report and of each claim.")),
    ),
)

REPORT = Obj(
    "A fact-check report reviewing one article (content/reports/*.yaml).",
    (
        req("id", Slug("Stable id; the report's URL is reports/<id>/.")),
        req("title", Text("The report's headline.", single_line=True)),
        req("summary", Text("Three or four sentences: what a reader should take away.")),
        opt("disclosure", Text("How this report was made: AI assistance and other disclosures, shown on the report page.", markdown=True)),
        req("status", Choice("Workflow state; 'withdrawn' keeps a retracted report at its URL, under a notice.", STATUSES)),
        req("published", Date("Publication date of the report.")),
        opt("updated", Date("Date of the last substantive update.")),
        req("authors", ListOf("People ids of the authors.", Slug("", ref="person"), 1, True)),
        opt("reviewers", ListOf("People ids of the reviewers.", Slug("", ref="person"), 0, True)),
        opt("topics", ListOf("Topic labels.", Text("", single_line=True), 0, True)),
        req("article", ARTICLE),
        req("claims", ListOf("The article's checkable claims.", CLAIM, 1)),
        req("sources", ListOf("Sources cited by the claims.", SOURCE, 1)),
        opt("corrections", ListOf("Corrections log, oldest first.", CORRECTION)),
        opt("withdrawn", WITHDRAWN),
        opt("response", Text("What came of contacting the outlet or claimant, e.g. 'NextFin corrected the article on 3 June'.")),
        opt("language", Text("The report's language tag, one of the site's languages (default: the site's first).", single_line=True)),
        opt("translations", ListOf("Ids of the reports that are this fact-check in the site's other languages.", Slug("", ref="report"), 0, True)),
    ),
    title="Fact-check report",
)

PAGE = Obj(
    "Front matter of a plain page (content/pages/*.md).",
    (
        req("title", Text("Page title (in the navigation of every page when it has `menu`).", single_line=True, limit=EVERY_PAGE_LINE)),
        opt("description", Text("One sentence for search results and link previews.")),
        opt("menu", Integer("Position in the site navigation; omit to leave the page out of it.", 1, 100)),
        opt("language", Text("The page's language tag, one of the site's languages (default: the site's first).", single_line=True)),
    ),
    title="Plain page",
)
