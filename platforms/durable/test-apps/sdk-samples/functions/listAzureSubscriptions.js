const df = require('durable-functions');
const listAzureSubscriptions = function* (context) {
  const res = yield context.df.callHttp({
    method: 'GET',
    url: 'https://management.azure.com/subscriptions?api-version=2019-06-01',
    tokenSource: new df.ManagedIdentityTokenSource('https://management.core.windows.net'),
  });
  return res;
};
df.app.orchestration('listAzureSubscriptions', listAzureSubscriptions);
