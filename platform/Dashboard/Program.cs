var builder = WebApplication.CreateBuilder(args);
builder.AddDashboardUi();
var app = builder.Build();
app.MapDashboardUi();
app.Run();
