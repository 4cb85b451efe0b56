import { DefaultApolloClient } from '@vue/apollo-composable'
import { createApp } from 'vue'
import '@digital-go-jp/design-tokens/dist/tokens.css'
import './styles/base.css'
import App from './App.vue'
import { apolloClient } from './apollo/apolloClient'
import { i18n } from './i18n/i18n'
import { router } from './router/router'

document.documentElement.lang = i18n.global.locale.value

createApp(App)
  .provide(DefaultApolloClient, apolloClient)
  .use(i18n)
  .use(router)
  .mount('#app')
