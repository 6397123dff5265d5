import http from 'node:http'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { startDemo, launchBrowser, newPage, checkAxe, formatViolations, screenshot, pageProblems, focusByLabel, focusedElement } from './harness.mjs'
const s = await startDemo()
const html = await (await fetch(s.at('/'))).text()
await s.stop()
const types = { css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml', ico: 'image/x-icon' }
const srv = http.createServer((req, res) => {
  if (req.url.startsWith('/assets/')) {
    const f = join('/work/main/crates/web/assets', req.url.slice(8))
    if (existsSync(f)) { res.writeHead(200, { 'content-type': types[f.split('.').pop()] || 'application/octet-stream' }); return res.end(readFileSync(f)) }
    res.writeHead(404); return res.end()
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'" }); res.end(html)
}).listen(0, '127.0.0.1')
await new Promise(r => srv.on('listening', r))
const b = await launchBrowser(); const p = await newPage(b)
await p.goto(`http://127.0.0.1:${srv.address().port}/`)
await screenshot(p, 'peek-home-styled')
console.log(formatViolations(await checkAxe(p, 'peek')))
console.log(pageProblems(p))
console.log(await p.evaluate(() => [getComputedStyle(document.querySelector('h1')).fontFamily, document.body.className, document.styleSheets.length, [...document.styleSheets].map(s=>s.cssRules.length)]))
console.log(await focusByLabel(p, 'Skip to main content'))
console.log(await focusByLabel(p, /Noah Carter/, {role:'link'}).catch(e=>e.message))
await b.close(); srv.close()
