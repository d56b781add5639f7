using AspireProber.StockStreamService;

// stock.v1.StockService: the generator fills a bounded log; consumers stream it at the pace HTTP/2 flow control allows.
var app = StockStreamApp.Create(args);
app.Run();
