get('/patients', { query: { updated_since: $.cursor } }).catch((error, state) => {
  console.error('Fetching patients failed:', error.message);
  return { ...state, data: [], errors: [error.message] };
});

fn(state => {
  if (state.data.length === 0) {
    console.log('No new patients since the last run');
  }
  return state;
});
