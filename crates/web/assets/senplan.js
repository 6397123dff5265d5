// senplan: progressive enhancement only; every page works without this script.
// Load with <script type="module" src="/assets/senplan.js"></script> at the end of <body>.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
initAll()
