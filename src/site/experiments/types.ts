// A guided experiment: a link, inside a chapter's prose, that opens one of the page's demos in a named state.
// The registry (./index.ts) is the single list the chapters, the concept index and the e2e tests read.

export interface Experiment {
  /** Stable, kebab-case, unique across the site; also the link's element id, so a blog post can point at it. */
  id: string;
  /** Slug of the chapter page that holds the demo (content/<chapter>.mdx). */
  chapter: string;
  /** The id of the demo's DemoFrame on that page (the link's #anchor). */
  demo: string;
  /** What the experiment is, in a few words ("fine_tune(1, base_lr=0.1)"). */
  title: string;
  /**
   * The demo state it opens, as URL query parameters with the demo's key prefix ({ 'ft.lr': '-1' }). Only values that
   * differ from the demo's defaults and that its schema accepts as written: the e2e test checks that the demo keeps
   * every one of them after it hydrates.
   */
  params: Record<string, string>;
  /** One or two sentences: what the reader should look for once it runs. */
  lookFor: string;
}

/** The experiment's link: the chapter page with the state in the query and the demo as the anchor. */
export function experimentHref(e: Pick<Experiment, 'chapter' | 'demo' | 'params'>): string {
  const query = new URLSearchParams(e.params).toString();
  return `/chapters/${e.chapter}/${query ? `?${query}` : ''}#${e.demo}`;
}
