// What the server writes into the page before anyone signs in (see src/server/routes/web.routes.ts).
export interface PageConfig {
  adminPasswordGenerated: boolean;
}

export function pageConfig(): PageConfig {
  const el = document.getElementById('tf-config');
  try {
    return { adminPasswordGenerated: false, ...(el?.textContent ? (JSON.parse(el.textContent) as Partial<PageConfig>) : {}) };
  } catch {
    return { adminPasswordGenerated: false };
  }
}
