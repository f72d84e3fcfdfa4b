get('/patients', { query: { updated_since: $.cursor } });

fn(state => {
  const active = state.data.filter(p => p.status === 'active');
  console.log(`Keeping ${active.length} of ${state.data.length} patients`);
  return { ...state, data: active };
});
