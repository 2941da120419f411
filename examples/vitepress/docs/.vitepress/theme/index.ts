// The usual VitePress habit: import what the site needs once, in the theme.
// This file is also imported during the server-side build, where there is no
// DOM; mqsim-widgets defines its elements only where customElements exists.
import DefaultTheme from 'vitepress/theme'
import 'mqsim-widgets'

export default DefaultTheme
