// The legends drawn in the page: diverging weights, sequential activations, class palette.
export function drawLegend(root, maps, classNames) {
  root.innerHTML = '';
  const bar = (label, colors, left, right) => {
    const row = document.createElement('div'); row.className = 'legend-row';
    const name = document.createElement('span'); name.textContent = label;
    const box = document.createElement('div');
    const c = document.createElement('canvas'); c.className = 'legend'; c.width = colors.length; c.height = 1;
    const g = c.getContext('2d');
    colors.forEach((col, i) => { g.fillStyle = col; g.fillRect(i, 0, 1, 1); });
    const ends = document.createElement('div'); ends.className = 'legend-ends';
    ends.innerHTML = `<span>${left}</span><span>${right}</span>`;
    box.append(c, ends); row.append(name, box); root.append(row);
  };
  bar('weight', maps.hex.diverging, '− (negative)', '+ (positive)');
  bar('activation', maps.hex.sequential, 'low', 'high');
  if (classNames?.length) {
    const row = document.createElement('div'); row.className = 'swatches';
    classNames.slice(0, 20).forEach((n, k) => {
      const s = document.createElement('span');
      const sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = maps.clsCss(k);
      s.append(sw, document.createTextNode(n)); row.append(s);
    });
    root.append(row);
  }
  const note = document.createElement('div'); note.className = 'dim'; note.style.fontSize = '11px';
  note.textContent = 'Connection brightness and opacity grow with sqrt(|w| / layer max), as in the glTF and video.';
  root.append(note);
}
