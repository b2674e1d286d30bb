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
