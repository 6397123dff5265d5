// senplan: progressive enhancement only; every page works without this script.
// Load with <script type="module" src="/assets/senplan.js"></script> at the end of <body>.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
initAll()

// A file chosen in <input type="file" data-senplan-fills="ID"> is read into the
// textarea #ID (the form sends the text; without the script, paste it instead).
for (const input of document.querySelectorAll('input[type=file][data-senplan-fills]')) {
  input.addEventListener('change', () => {
    const target = document.getElementById(input.dataset.senplanFills)
    const file = input.files && input.files[0]
    if (!target || !file) return
    file.text().then((text) => { target.value = text })
  })
}
