import { defineConfig } from 'vitepress'

// Served under /guide/, not at the root: every URL a page gives a widget goes through withBase.
export default defineConfig({
  title: 'mqsim in VitePress',
  description: 'mqsim-widgets in a VitePress site',
  base: '/guide/',
  lang: 'en-GB',
  // No favicon of its own: without this line the browser asks for /favicon.ico, outside the base.
  head: [['link', { rel: 'icon', href: 'data:,' }]],
  vue: {
    template: {
      // <mq-*> are custom elements, not Vue components.
      compilerOptions: { isCustomElement: (tag) => tag.startsWith('mq-') },
    },
  },
  vite: {
    // Vite's dependency pre-bundling (dev server only) would move the widgets'
    // modules away from the wasm, presets and styles they find through import.meta.url.
    optimizeDeps: { exclude: ['mqsim-widgets'] },
  },
  themeConfig: {
    nav: [
      { text: 'Peak shaving', link: '/' },
      { text: '可靠性', link: '/zh' },
      { text: 'Our own scenario', link: '/own' },
    ],
    sidebar: [
      { text: 'Peak shaving (en)', link: '/' },
      { text: '可靠性（中文）', link: '/zh' },
      { text: 'Our own scenario', link: '/own' },
    ],
  },
})
