import '@gouvfr/dsfr/dist/dsfr.min.css';
// Only the icon families the pages use: the full set would inline ~1,800 SVGs into the stylesheet (2 MB).
import '@gouvfr/dsfr/dist/utility/icons/icons-design/icons-design.min.css';
import '@gouvfr/dsfr/dist/utility/icons/icons-others/icons-others.min.css';
import '@gouvfr/dsfr/dist/utility/icons/icons-system/icons-system.min.css';
import '@gouvfr/dsfr/dist/utility/icons/icons-user/icons-user.min.css';
import '@gouvminint/vue-dsfr/dist/vue-dsfr.css';
import './styles/app.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter, redirectWhenSessionExpires } from './router.js';

const router = createAppRouter();
redirectWhenSessionExpires(router);
createApp(App).use(createPinia()).use(router).mount('#app');
