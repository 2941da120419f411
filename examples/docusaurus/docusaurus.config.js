// @ts-check
// A Docusaurus 3.10 site (React 19) served under /docs/, not at the root:
// every URL a page gives a widget goes through useBaseUrl.

/** @type {import('@docusaurus/types').Config} */
export default {
  title: 'mqsim in Docusaurus',
  url: 'http://127.0.0.1',
  baseUrl: '/docs/',
  onBrokenLinks: 'throw',
  // No favicon of its own: without this tag the browser asks for /favicon.ico, outside the base.
  headTags: [{ tagName: 'link', attributes: { rel: 'icon', href: 'data:,' } }],
  i18n: { defaultLocale: 'en', locales: ['en'] },
  // The widgets, once for every page; a client module runs in the browser only.
  clientModules: ['./src/widgets.js'],
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: { routeBasePath: '/', sidebarPath: './sidebars.js' },
        blog: false,
        theme: {},
      }),
    ],
  ],
  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: { title: 'mqsim', items: [{ type: 'docSidebar', sidebarId: 'guide', label: 'Guide', position: 'left' }] },
  },
};
