package io.appmetricsproxy.serve;

/** The index page's inline style and sort script: the page loads nothing else. */
final class IndexAssets {
  /** Wide tables scroll in their own box, so that a phone never scrolls the page sideways. */
  static final String STYLE =
      """
      body{font:14px/1.45 system-ui,sans-serif;margin:1em;color:#1d1d1f;background:#fff}
      h1{font-size:1.35em;margin:.2em 0 .5em}h2{font-size:1.1em;margin:1.4em 0 .4em}
      .summary,.banner,p{overflow-wrap:anywhere}
      .scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
      table{border-collapse:collapse}
      td,th{padding:.3em .6em;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top;\
      white-space:nowrap}
      th{background:#f4f4f6;font-weight:600}
      th[tabindex]{cursor:pointer;user-select:none}
      th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
      td.num{text-align:right}td.status{white-space:normal;min-width:14em;max-width:36em}
      .ok{color:#1b7f3a}.err{color:#b00020}.warn{color:#8a5300}.muted{color:#6b6b70}
      tr.failing{background:#fff1f2}
      .banner{background:#fde7e9;border-left:4px solid #b00020;padding:.5em .7em;margin:.5em 0}
      code{font-size:.95em}
      """;

  /**
   * Sorts a {@code table.sortable} by the clicked header, ascending then descending: numbers by a
   * cell's {@code data-sort} (empty sorts last), text otherwise.
   */
  static final String SCRIPT =
      """
      (function(){
      function key(td){if(!td)return '';var v=td.getAttribute('data-sort');
      return v===null?td.textContent.trim().toLowerCase():(v===''?Infinity:Number(v));}
      function cmp(a,b){return typeof a==='number'&&typeof b==='number'?(a<b?-1:a>b?1:0)
      :String(a).localeCompare(String(b));}
      document.querySelectorAll('table.sortable').forEach(function(t){
      var ths=t.tHead.rows[0].cells;
      Array.prototype.forEach.call(ths,function(th,i){
      th.tabIndex=0;th.title='Sort by '+th.textContent;
      function sort(){var asc=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(x,y){return cmp(key(x.cells[i]),key(y.cells[i]))*(asc?1:-1);});
      rows.forEach(function(r){body.appendChild(r);});}
      th.addEventListener('click',sort);
      th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){
      e.preventDefault();sort();}});});});})();
      """;

  private IndexAssets() {}
}
