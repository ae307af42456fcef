// "Copy link" controls: any element with data-copy-link copies an absolute link to its target
// (its href, resolved against the current page so a demo's state in the query string is kept).

/** The absolute link a copy-link control stands for: the current page with its query, and the control's fragment. */
export function linkFor(href: string, current: string): string {
  const here = new URL(current);
  const target = new URL(href, here);
  if (target.pathname === here.pathname && target.search === '') target.search = here.search;
  return target.href;
}

function announce(text: string): void {
  let region = document.getElementById('copy-link-status');
  if (!region) {
    region = document.createElement('p');
    region.id = 'copy-link-status';
    region.className = 'toast';
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  region.textContent = text;
  region.dataset['visible'] = 'true';
  window.setTimeout(() => {
    if (region) region.dataset['visible'] = 'false';
  }, 1800);
}

export function enhanceCopyLinks(root: ParentNode = document): void {
  root.addEventListener('click', (event) => {
    const control = (event.target as Element | null)?.closest<HTMLElement>('[data-copy-link]');
    if (!control) return;
    const href = control.getAttribute('href') ?? control.dataset['copyLink'] ?? '';
    const link = linkFor(href, location.href);
    event.preventDefault();
    history.replaceState(history.state, '', link);
    const target = document.getElementById(new URL(link).hash.slice(1));
    target?.scrollIntoView({ block: 'start' });
    navigator.clipboard?.writeText(link).then(
      () => announce('Link copied'),
      () => announce('Link is in the address bar'),
    ) ?? announce('Link is in the address bar');
  });
}
